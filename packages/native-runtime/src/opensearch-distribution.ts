import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readToolVersions } from './repo-paths.js';

/**
 * The modules of the OpenSearch distribution that the node loads, as classpath plugins: the server jar has no HTTP
 * or transport layer of its own (transport-netty4 brings both), and analysis-common's analyzers and token filters
 * are in every distribution, so the node accepts the index settings a real cluster accepts. Scripting
 * (lang-painless) is left out: Jaeger sends no scripts.
 */
const OPENSEARCH_MODULES = [
  { artifact: 'org.opensearch.plugin:transport-netty4-client', plugin: 'org.opensearch.transport.Netty4Plugin' },
  { artifact: 'org.opensearch.plugin:analysis-common', plugin: 'org.opensearch.analysis.common.CommonAnalysisPlugin' },
] as const;

/**
 * log4j-core, which the server jar leaves to the distribution: it must be the version of the log4j-api that
 * org.opensearch:opensearch depends on (checked after resolution; a mismatch fails with NoSuchMethodError).
 */
const LOG4J_VERSION = '2.25.4';

/** maven-dependency-plugin, pinned: Debian's Maven 3.8 would otherwise pick its old default (2.8). */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

const JAVA_SOURCE = fileURLToPath(new URL('../java/OpenSearchNode.java', import.meta.url));

/**
 * The JDK that runs OpenSearch 2.x: Debian's OpenJDK 17 (tools/install-system.sh), named explicitly because the
 * machine may have other JDKs first on PATH (OpenSearch 2.19 is built and tested on 11-21).
 */
const JAVA_HOME = '/usr/lib/jvm/java-17-openjdk-amd64';

/** A resolved OpenSearch: the classpath of the server, its modules and the compiled launcher class. */
export interface OpenSearchDistribution {
  version: string;
  /** `<dir>/classes:<dir>/lib/*`, for `java -cp`. */
  classpath: string;
  /** The launcher's main class (java/OpenSearchNode.java). */
  mainClass: string;
  /** The plugin classes to load (OPENSEARCH_MODULES). */
  plugins: string[];
  /** The cache folder of this version and launcher. */
  dir: string;
  /** The `java` that runs it. */
  java: string;
}

/** OPENSEARCH_VERSION of tools/versions.env. */
function pinnedVersion(): string {
  const version = readToolVersions().OPENSEARCH_VERSION;
  if (version === undefined || version === '') throw new Error('tools/versions.env has no OPENSEARCH_VERSION');
  return version;
}

/** ${XDG_CACHE_HOME:-~/.cache}/otelkit, where the pinned tools are cached too (tools/build-go-tools.sh). */
function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'otelkit');
}

function pom(version: string): string {
  const dependency = (coordinates: string, v: string) => {
    const [groupId, artifactId] = coordinates.split(':');
    return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v}</version></dependency>`;
  };
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>otelkit.local</groupId><artifactId>opensearch-node</artifactId><version>0</version>',
    '  <dependencies>',
    dependency('org.opensearch:opensearch', version),
    ...OPENSEARCH_MODULES.map((m) => dependency(m.artifact, version)),
    dependency('org.apache.logging.log4j:log4j-core', LOG4J_VERSION),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

const run = promisify(execFile);

async function command(file: string, args: string[], what: string): Promise<void> {
  try {
    await run(file, args, {
      env: { ...process.env, JAVA_HOME },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 20 * 60_000,
    });
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
    if (code === 'ENOENT') {
      throw new Error(`${what}: ${file} is not installed (run \`bash tools/install-system.sh\`)`);
    }
    throw new Error(`${what} failed:\n${String(stdout ?? '').slice(-4000)}\n${String(stderr ?? '').slice(-4000)}`);
  }
}

/**
 * OpenSearch VERSION (default: OPENSEARCH_VERSION of tools/versions.env) ready to run: the server jar and the modules
 * with their dependencies, resolved from Maven Central by Maven itself (maven-dependency-plugin's
 * copy-dependencies: real POM resolution, with parents, BOMs and exclusions, rather than a walk of our own), and the
 * launcher class compiled by javac. Cached outside the clone in ~/.cache/otelkit/opensearch/<version>-<hash> (the
 * hash covers the POM and the launcher source, so a change resolves anew), Maven's downloads in
 * ~/.cache/otelkit/maven. A cold resolution downloads about 45 MB; a warm one reads the folder.
 */
export async function openSearchDistribution(version = pinnedVersion()): Promise<OpenSearchDistribution> {
  const pomText = pom(version);
  const source = readFileSync(JAVA_SOURCE, 'utf8');
  const hash = createHash('sha256').update(pomText).update(source).digest('hex').slice(0, 8);
  const dir = join(cacheRoot(), 'opensearch', `${version}-${hash}`);
  const distribution: OpenSearchDistribution = {
    version,
    classpath: `${join(dir, 'classes')}:${join(dir, 'lib', '*')}`,
    mainClass: 'OpenSearchNode',
    plugins: OPENSEARCH_MODULES.map((m) => m.plugin),
    dir,
    java: join(JAVA_HOME, 'bin', 'java'),
  };
  if (existsSync(join(dir, 'classes', 'OpenSearchNode.class'))) return distribution;

  // built in a private folder and renamed into place, so concurrent test processes never see half a folder
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    writeFileSync(join(work, 'pom.xml'), pomText);
    await command(
      'mvn',
      [
        '-B',
        '-q',
        `-Dmaven.repo.local=${join(cacheRoot(), 'maven')}`,
        '-f',
        join(work, 'pom.xml'),
        `${DEPENDENCY_PLUGIN}:copy-dependencies`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(work, 'lib')}`,
      ],
      `resolving OpenSearch ${version} from Maven Central`,
    );
    const jars = readdirSync(join(work, 'lib'));
    const api = jars.find((j) => /^log4j-api-.*\.jar$/.test(j));
    if (api !== `log4j-api-${LOG4J_VERSION}.jar`) {
      throw new Error(
        `OpenSearch ${version} depends on ${api ?? 'no log4j-api'}, but log4j-core is pinned at ${LOG4J_VERSION}: ` +
          'set LOG4J_VERSION in packages/native-runtime/src/opensearch-distribution.ts to its version',
      );
    }
    await command(
      join(JAVA_HOME, 'bin', 'javac'),
      ['-cp', join(work, 'lib', '*'), '-d', join(work, 'classes'), JAVA_SOURCE],
      'compiling java/OpenSearchNode.java',
    );
    mkdirSync(join(cacheRoot(), 'opensearch'), { recursive: true });
    try {
      renameSync(work, dir);
    } catch (error) {
      // another process finished first: its folder is as good as ours
      if (!existsSync(join(dir, 'classes', 'OpenSearchNode.class'))) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return distribution;
}
