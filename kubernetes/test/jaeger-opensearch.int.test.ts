import { readToolVersions } from '@otelkit/native-runtime';
import { OPENSEARCH_TRACE_STORE } from '@otelkit/stack';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  chartSource,
  helmValuesPath,
  jaegerConfig,
  type K8sObject,
  OBSERVABILITY_NAMESPACE,
  OPENSEARCH_HTTP_PORT,
  OPENSEARCH_SECRETS,
  OPENSEARCH_URL,
  openSearchBackend,
  parseManifests,
  RELEASES,
  SERVICES,
} from '../src/index.js';
import { KUBE_VERSION, kubernetesValidate, runTool } from './helpers.js';

/**
 * helm-values/jaeger-opensearch.yaml and helm-values/opensearch.yaml rendered by the charts themselves, from
 * chartSource: jaeger's full sources in ../shared/upstream/chart-sources (beside the repository on the developers'
 * machines and in CI); opensearch's from OTELKIT_OPENSEARCH_CHART if set, else that reference copy, else the chart
 * vendored whole in kubernetes/upstream-charts/opensearch-2.37.0, so its render always runs.
 */
const chart = chartSource('jaeger');
const openSearchChart = chartSource('opensearch');
if (!openSearchChart) throw new Error('the vendored opensearch chart is missing from kubernetes/upstream-charts');

function render(
  release: string,
  dir: string,
  values: string,
): { run: ReturnType<typeof runTool>; objects: K8sObject[] } {
  const run = runTool('helm', [
    'template',
    release,
    dir,
    '--namespace',
    OBSERVABILITY_NAMESPACE,
    '--kube-version',
    KUBE_VERSION,
    '-f',
    values,
  ]);
  return { run, objects: run.status === 0 ? parseManifests(run.stdout, `helm template ${dir}`) : [] };
}

describe.skipIf(!chart)('helm template jaeger -f helm-values/jaeger-opensearch.yaml', () => {
  const { run, objects } = render(RELEASES.jaeger, chart ?? '', helmValuesPath('jaegerOpenSearch'));
  const find = (kind: string, component: string) =>
    objects.find(
      (o) =>
        o.kind === kind &&
        (o.metadata as { labels?: Record<string, string> }).labels?.['app.kubernetes.io/component'] === component,
    ) as K8sObject & { spec: any };

  it('renders, and every object passes kubernetes-validate --strict', () => {
    expect(run.status, run.stderr).toBe(0);
    const validation = kubernetesValidate(objects);
    expect(validation.status, validation.stdout + validation.stderr).toBe(0);
  });

  it("Jaeger's config is the OpenSearch one, read from the rendered ConfigMap as Jaeger reads it", () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && /user-config/.test(String(o.metadata?.name)));
    const text = Object.values((configMap as unknown as { data: Record<string, string> }).data)[0] ?? '';
    // quoted by Helm: Jaeger must read the date layout as a string
    expect(text).toContain(`date_layout: "${OPENSEARCH_TRACE_STORE.dateLayout}"`);
    expect(parse(text)).toEqual(jaegerConfig(openSearchBackend()));
  });

  it('the Jaeger pod gets its OpenSearch user and password from the Secret, and the CA, by reference', () => {
    const pod = find('Deployment', 'all-in-one').spec.template.spec;
    const container = pod.containers[0];
    expect(container.env).toContainEqual({
      name: 'OPENSEARCH_USERNAME',
      valueFrom: { secretKeyRef: { name: OPENSEARCH_SECRETS.jaeger.name, key: OPENSEARCH_SECRETS.jaeger.usernameKey } },
    });
    const secretVolumes = pod.volumes
      .filter((v: { secret?: unknown }) => v.secret)
      .map((v: any) => v.secret.secretName);
    expect(secretVolumes.sort()).toEqual([OPENSEARCH_SECRETS.ca.name, OPENSEARCH_SECRETS.jaeger.name].sort());
    const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    const backend = openSearchBackend().backend as { opensearch: { auth: any; tls: any } };
    expect(mounts).toContain(backend.opensearch.auth.basic.password_file.replace(/\/[^/]+$/, ''));
    expect(mounts).toContain(backend.opensearch.tls.ca_file.replace(/\/[^/]+$/, ''));
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
  });

  it('the es-index-cleaner CronJob deletes the indices older than the retention, as the native test runs it', () => {
    const job = find('CronJob', 'es-index-cleaner').spec.jobTemplate.spec.template.spec;
    const container = job.containers[0];
    expect(container.args).toEqual([
      String(OPENSEARCH_TRACE_STORE.retentionDays),
      OPENSEARCH_URL,
      ...[
        `--es.tls.ca=/etc/jaeger/opensearch-ca/${OPENSEARCH_SECRETS.ca.key}`,
        '--es.tls.enabled=true',
        `--index-prefix=${OPENSEARCH_TRACE_STORE.indexPrefix}`,
      ],
    ]);
    expect(container.env).toContainEqual({
      name: 'ES_PASSWORD',
      valueFrom: { secretKeyRef: { name: OPENSEARCH_SECRETS.jaeger.name, key: OPENSEARCH_SECRETS.jaeger.passwordKey } },
    });
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain(
      '/etc/jaeger/opensearch-ca',
    );
    // the hardened security contexts pass through the chart whole (PASSED_THROUGH)
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(job.securityContext).toMatchObject({ runAsUser: 10001, fsGroup: 10001 });
  });

  it('no rendered object carries a password value: every credential is a Secret reference', () => {
    const env = objects.flatMap((o: any) => {
      const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
      return (pod?.containers ?? []).flatMap((c: { env?: unknown[] }) => c.env ?? []);
    }) as Array<{ name: string; value?: string }>;
    const literal = env.filter((e) => /PASSWORD|USERNAME/.test(e.name) && e.value !== undefined);
    expect(literal).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

describe('helm template opensearch -f helm-values/opensearch.yaml', () => {
  const { run, objects } = render(RELEASES.opensearch, openSearchChart, helmValuesPath('opensearch'));

  it('renders, and every object passes kubernetes-validate --strict', () => {
    expect(run.status, run.stderr).toBe(0);
    const validation = kubernetesValidate(objects);
    expect(validation.status, validation.stdout + validation.stderr).toBe(0);
  });

  it('serves HTTP on the Service Jaeger and the cleaner use, runs the tested version, admin password by reference', () => {
    const [serviceName] = SERVICES.opensearch.split('.');
    const service = objects.find((o) => o.kind === 'Service' && o.metadata?.name === serviceName) as any;
    expect(service.spec.ports).toContainEqual(expect.objectContaining({ port: OPENSEARCH_HTTP_PORT }));
    expect(OPENSEARCH_URL).toBe(`https://${serviceName}.${OBSERVABILITY_NAMESPACE}.svc:${OPENSEARCH_HTTP_PORT}`);
    const pod = (objects.find((o) => o.kind === 'StatefulSet') as any).spec.template.spec;
    const container = pod.containers.find((c: { name: string }) => c.name === 'opensearch');
    expect(container.image).toBe(`opensearchproject/opensearch:${readToolVersions().OPENSEARCH_VERSION}`);
    expect(container.env).toContainEqual({
      name: 'OPENSEARCH_INITIAL_ADMIN_PASSWORD',
      valueFrom: { secretKeyRef: { name: OPENSEARCH_SECRETS.admin.name, key: OPENSEARCH_SECRETS.admin.passwordKey } },
    });
  });
});
