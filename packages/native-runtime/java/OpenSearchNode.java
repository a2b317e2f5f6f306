// A single OpenSearch node started from the server jars on Maven Central, the way OpenSearch's own integration
// tests start one (MockNode): org.opensearch.node.Node with its modules given as classpath plugins, since the
// server jar alone has no HTTP or transport layer. Compiled and run by @otelkit/native-runtime (src/opensearch.ts).
//
// Arguments:
//   -E key=value                     a node setting, as with the distribution's `bin/opensearch -E`
//   --plugin CLASS                   a plugin class on the classpath (transport-netty4's Netty4Plugin, ...)
//   --allow-index-creation-date      lets a create-index request set index.creation_date, the date retention jobs
//                                    judge an index by, as OpenSearch's test nodes do (InternalSettingsPlugin
//                                    registers the setting, and private index settings are not forbidden), so a
//                                    test can create the index of a day long past; never for a cluster in use
// Runs until SIGTERM/SIGINT, then closes the node (flushing its shards) and exits.
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

public final class OpenSearchNode {
  /** Node's constructor that takes classpath plugins is protected: MockNode subclasses it the same way. */
  private static final class ClasspathPluginNode extends Node {
    ClasspathPluginNode(Environment environment, List<Class<? extends Plugin>> plugins, boolean forbidPrivateIndexSettings) {
      super(environment, plugins, forbidPrivateIndexSettings);
    }
  }

  /** index.creation_date as a known index setting: the one setting of the test framework's InternalSettingsPlugin. */
  public static final class IndexCreationDatePlugin extends Plugin {
    @Override
    public List<Setting<?>> getSettings() {
      return List.of(
          Setting.longSetting("index.creation_date", -1, -1, Setting.Property.IndexScope, Setting.Property.NodeScope));
    }
  }

  public static void main(String[] args) throws Exception {
    Settings.Builder settings = Settings.builder();
    List<Class<? extends Plugin>> plugins = new ArrayList<>();
    boolean forbidPrivateIndexSettings = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-E") && i + 1 < args.length) {
        String setting = args[++i];
        int eq = setting.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("-E expects key=value, got: " + setting);
        settings.put(setting.substring(0, eq), setting.substring(eq + 1));
      } else if (arg.equals("--plugin") && i + 1 < args.length) {
        plugins.add(Class.forName(args[++i]).asSubclass(Plugin.class));
      } else if (arg.equals("--allow-index-creation-date")) {
        plugins.add(IndexCreationDatePlugin.class);
        forbidPrivateIndexSettings = false;
      } else {
        throw new IllegalArgumentException(
            "unknown argument: " + arg + " (expected -E key=value, --plugin CLASS or --allow-index-creation-date)");
      }
    }
    Settings initial = settings.build();
    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(initial);
    Environment environment = InternalSettingsPreparer.prepareEnvironment(initial, Map.of(), null, () -> "otelkit");
    Node node = new ClasspathPluginNode(environment, plugins, forbidPrivateIndexSettings);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
        if (!node.awaitClose(30, TimeUnit.SECONDS)) System.err.println("OpenSearch node did not close within 30s");
      } catch (Exception e) {
        e.printStackTrace();
      } finally {
        closed.countDown();
      }
    }, "otelkit-opensearch-shutdown"));
    node.start();
    // OpenSearch's own threads are daemons: like the distribution's keep-alive thread, main waits for the shutdown
    closed.await();
  }
}
