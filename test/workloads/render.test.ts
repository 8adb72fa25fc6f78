import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { MODELS } from '../support/k8s-schemas.js';
import {
  NO_SURGE_STRATEGY,
  MissingSecretsError,
  printableManifests,
  redactedSecrets,
  renderObjects,
  renderSecrets,
  toYaml,
  type K8sObject,
} from '../../src/workloads/render.js';
import { mysqlConfig, mysqlSizing } from '../../src/workloads/mysql.js';
import { addonPods, traefikValues, valuesYaml, ACME_DIR, TRAEFIK_CHART, HELM_VERSION } from '../../src/workloads/addons.js';
import { withGeneratedSecrets } from '../../src/workloads/secrets.js';
import { fullSpec } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any

const SECRETS = { chatbot: { SLACK_TOKEN: 'xoxb-DISTINCTIVE-s3cr3t-token-4711' } };

function everything(): K8sObject[] {
  const spec = fullSpec();
  const { secrets } = withGeneratedSecrets(spec, SECRETS, () => 'generated-ROOT-pw-0815-abcdef');
  return [...renderObjects(spec), ...renderSecrets(spec, secrets)];
}

/** The documents of a YAML stream, parsed back (what kubectl would read). */
const parseBack = (text: string): K8sObject[] => parseAllDocuments(text).map((d) => d.toJS() as K8sObject);

describe('rendering the five kinds', () => {
  it('produces the objects each kind needs', () => {
    const kinds = everything().map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual([
      'PriorityClass/hobbykube-serving',
      'PriorityClass/hobbykube-batch',
      'ServiceAccount/chatbot',
      'ServiceAccount/mysql',
      'ServiceAccount/mysql-dump',
      'ServiceAccount/blog',
      'ServiceAccount/cleanup',
      'ConfigMap/mysql-mysql-config',
      'PersistentVolume/hobbykube-home-mysql',
      'PersistentVolumeClaim/mysql-data',
      'Service/mysql',
      'Service/blog',
      'StatefulSet/mysql',
      'Deployment/chatbot',
      'Deployment/blog',
      'CronJob/mysql-dump',
      'CronJob/cleanup',
      'Ingress/blog',
      'Secret/chatbot-env',
      'Secret/mysql-env',
    ]);
  });

  it('every object validates against the Kubernetes 1.33 schemas (kubernetes-models)', () => {
    for (const o of parseBack(toYaml(everything()))) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check is not a no-op (negative control)', () => {
    const d = everything().find((o) => o.kind === 'Deployment')!;
    const broken = { ...d, spec: { ...d.spec, replicas: 'two' } };
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it('labels every object as managed by hobbykube, with its workload and cluster', () => {
    for (const o of everything()) {
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], `${o.kind}/${o.metadata.name}`).toBe('hobbykube');
      expect(o.metadata.labels?.['app.kubernetes.io/name']).toBeTruthy();
      expect(o.metadata.labels?.['hobbykube.dev/cluster']).toBe('home');
    }
  });

  it('grants no workload any API access and binds cluster-admin nowhere', () => {
    const all = everything();
    const text = toYaml(all);
    expect(all.filter((o) => /RoleBinding$/.test(o.kind))).toEqual([]);
    expect(text).not.toContain('cluster-admin');
    for (const sa of all.filter((o) => o.kind === 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    const pods = all.flatMap((o) => (o.kind === 'CronJob' ? [o.spec.jobTemplate.spec.template] : o.spec?.template ? [o.spec.template] : []));
    expect(pods).toHaveLength(5);
    for (const pod of pods) {
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      expect(pod.spec.serviceAccountName).toBe(pod.metadata.labels['app.kubernetes.io/name']);
    }
  });

  it('worker: env from values and from its Secret, memory request = limit, restarts always', () => {
    const d = everything().find((o) => o.kind === 'Deployment' && o.metadata.name === 'chatbot')!;
    const pod = d.spec.template.spec;
    expect(pod.restartPolicy).toBe('Always');
    expect(pod.priorityClassName).toBe('hobbykube-serving');
    expect(pod.containers[0].env).toEqual([
      { name: 'SLACK_CHANNEL', value: 'general' },
      { name: 'SLACK_TOKEN', valueFrom: { secretKeyRef: { name: 'chatbot-env', key: 'SLACK_TOKEN' } } },
    ]);
    expect(pod.containers[0].resources).toEqual({ requests: { memory: '128Mi' }, limits: { memory: '128Mi' } });
  });

  it('database: pinned hostPath volume bound to its claim, headless Service, small-node my.cnf', () => {
    const all = everything();
    const pv = all.find((o) => o.kind === 'PersistentVolume')!;
    const pvc = all.find((o) => o.kind === 'PersistentVolumeClaim')!;
    const svc = all.find((o) => o.kind === 'Service' && o.metadata.name === 'mysql')!;
    const sts = all.find((o) => o.kind === 'StatefulSet')!;
    expect(pv.spec.hostPath).toEqual({ path: '/var/lib/hobbykube/volumes/mysql', type: 'DirectoryOrCreate' });
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: ['w1'] });
    expect(pv.spec.storageClassName).toBe('');
    expect(pv.spec.claimRef).toEqual({ namespace: 'default', name: 'mysql-data' });
    expect(pvc.spec).toMatchObject({ storageClassName: '', volumeName: 'hobbykube-home-mysql', resources: { requests: { storage: '5Gi' } } });
    expect(svc.spec.clusterIP).toBe('None');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('mysql');
    const c = sts.spec.template.spec.containers[0];
    expect(c.image).toBe('mysql:8.4');
    expect(c.readinessProbe.tcpSocket.port).toBe('mysql');
    expect(c.env).toEqual([{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql-env', key: 'MYSQL_ROOT_PASSWORD' } } }]);
    expect(mysqlSizing('256Mi')).toEqual({ bufferPoolMiB: 64, maxConnections: 30 });
    expect(mysqlSizing('2Gi')).toEqual({ bufferPoolMiB: 1024, maxConnections: 100 });
    const cnf = all.find((o) => o.kind === 'ConfigMap')!.data['hobbykube.cnf'];
    expect(cnf).toBe(mysqlConfig('256Mi'));
    expect(cnf).toContain('innodb_buffer_pool_size = 64M\n');
    expect(cnf).toContain('performance_schema = OFF\n');
  });

  it("app: readiness probe on the health path, Service, HTTPS-only Ingress with a certificate from Traefik's ACME resolver", () => {
    const all = everything();
    const d = all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'blog')!;
    const c = d.spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const ing = all.find((o) => o.kind === 'Ingress')!;
    expect(ing.metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.tls': 'true',
      'traefik.ingress.kubernetes.io/router.tls.certresolver': 'letsencrypt',
    });
    expect(ing.spec.ingressClassName).toBe('traefik');
    // No secretName: the certificate lives in Traefik's acme.json, not in a Secret.
    expect(ing.spec.tls).toEqual([{ hosts: ['blog.example.com'] }]);
    expect(ing.spec.rules[0].host).toBe('blog.example.com');
  });

  it('app: the strategy chosen by the capacity check', () => {
    const objs = renderObjects(fullSpec(), { strategies: new Map([['blog', NO_SURGE_STRATEGY]]) });
    expect(objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'blog')!.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it('cron: Forbid, history limits, the batch PriorityClass (which never preempts)', () => {
    const all = everything();
    const cj = all.find((o) => o.kind === 'CronJob' && o.metadata.name === 'cleanup')!;
    expect(cj.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec.template.spec.priorityClassName).toBe('hobbykube-batch');
    expect(cj.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'echo done']);
    const pcs = all.filter((o) => o.kind === 'PriorityClass');
    expect(pcs.map((p) => [p.metadata.name, p.value, p.globalDefault, p.preemptionPolicy])).toEqual([
      ['hobbykube-serving', 1000, false, 'PreemptLowerPriority'],
      ['hobbykube-batch', 100, false, 'Never'],
    ]);
  });

  it('no ingress add-on without an app domain', () => {
    const spec = fullSpec([{ kind: 'worker', name: 'bot', image: 'bot:1', memory: '64Mi' }]);
    expect(addonPods(spec)).toEqual([]);
    expect(toYaml(renderObjects(spec))).not.toContain('Ingress');
  });

  it('memory: request and limit from the capacity check; memoryRequest without it; memory otherwise', () => {
    const spec = fullSpec([
      { kind: 'worker', name: 'bot', image: 'bot:1', memory: '96Mi' },
      { kind: 'app', name: 'web', image: 'web:1', port: 80, memory: '192Mi', memoryRequest: '100Mi' },
      { kind: 'database', name: 'db', node: 'w1', memory: '256Mi' },
    ]);
    const resources = (objs: K8sObject[], name: string) => {
      const o = objs.find((x) => x.metadata.name === name && (x.kind === 'Deployment' || x.kind === 'StatefulSet'))!;
      return o.spec.template.spec.containers[0].resources;
    };
    const plain = renderObjects(spec);
    expect(resources(plain, 'bot')).toEqual({ requests: { memory: '96Mi' }, limits: { memory: '96Mi' } });
    expect(resources(plain, 'web')).toEqual({ requests: { memory: '100Mi' }, limits: { memory: '192Mi' } });
    expect(resources(plain, 'db')).toEqual({ requests: { memory: '256Mi' }, limits: { memory: '256Mi' } });
    const planned = renderObjects(spec, { memory: new Map([['bot', { request: '32Mi', limit: '96Mi' }], ['db', { request: '86Mi', limit: '256Mi' }]]) });
    expect(resources(planned, 'bot')).toEqual({ requests: { memory: '32Mi' }, limits: { memory: '96Mi' } });
    expect(resources(planned, 'db')).toEqual({ requests: { memory: '86Mi' }, limits: { memory: '256Mi' } });
    for (const o of planned) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`]!;
      expect(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });
});

describe('values survive rendering unchanged', () => {
  const tricky = {
    QUOTES: `it's "quoted" \\ back`,
    COLON: 'key: value # not a comment',
    NEWLINES: 'line one\nline two\n  indented\n',
    DOLLAR: '${HOME} $(rm -rf /) `id`',
    UNICODE: 'ünïcødé ✓ 日本語 🚀',
    DASH: '- not a list item',
    DASHES: '--- not a document',
    BOOLISH: 'yes',
    NUMBERISH: '0755',
    EMPTY: '',
    SPACES: '  padded  ',
  } satisfies Record<string, string>;
  const command = ['sh', '-c', 'echo "$1" | grep -- --x', '-', '--dash', '{a: b}', '[1, 2]', '*alias', '&anchor', '!tag', '%directive', '@at'];

  it('env, command and secret values round-trip through the YAML', () => {
    const spec = fullSpec([
      { kind: 'worker', name: 'odd', image: 'ghcr.io/me/odd:1', memory: '64Mi', env: tricky, secretEnv: ['TOKEN'], command },
      { kind: 'cron', name: 'oddcron', schedule: '*/5 * * * *', image: 'busybox:1.36', memory: '16Mi', env: { ...tricky }, command: [...command] },
    ]);
    const secretValue = tricky.NEWLINES + tricky.QUOTES + tricky.DOLLAR + tricky.UNICODE;
    const objects = parseBack(toYaml([...renderObjects(spec), ...renderSecrets(spec, { odd: { TOKEN: secretValue } })]));
    const worker = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
    const cron = objects.find((o) => o.kind === 'CronJob')!.spec.jobTemplate.spec.template.spec.containers[0];
    for (const c of [worker, cron]) {
      expect(c.command).toEqual(command);
      const env = Object.fromEntries(c.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env).toEqual(tricky);
    }
    const secret = objects.find((o) => o.kind === 'Secret')!;
    expect(Buffer.from(secret.data.TOKEN, 'base64').toString('utf8')).toBe(secretValue);
  });
});

describe('secrets stay out of everything printable', () => {
  it('the printable manifests hold no secret value, only "[redacted]"', () => {
    const spec = fullSpec();
    const { secrets } = withGeneratedSecrets(spec, SECRETS, () => 'generated-ROOT-pw-0815-abcdef');
    const printable = printableManifests(spec);
    const all = [secrets.chatbot!.SLACK_TOKEN!, secrets.mysql!.MYSQL_ROOT_PASSWORD!];
    for (const value of all) {
      expect(printable).not.toContain(value);
      expect(printable).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(printable).toContain('SLACK_TOKEN: "[redacted]"');
    expect(printable).toContain('MYSQL_ROOT_PASSWORD: "[redacted]"');
    // The Secrets for apply are a separate rendering: the same objects, with the values.
    expect(redactedSecrets(spec).map((o) => o.metadata.name)).toEqual(renderSecrets(spec, secrets).map((o) => o.metadata.name));
    expect(renderObjects(spec).some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('refuses to render Secrets whose values are missing, naming them', () => {
    const spec = fullSpec();
    expect(() => renderSecrets(spec, {})).toThrow(MissingSecretsError);
    expect(() => renderSecrets(spec, {})).toThrow('no value in secrets.yaml for chatbot.SLACK_TOKEN, mysql.MYSQL_ROOT_PASSWORD');
  });

  it('generates a database password once and keeps it', () => {
    const spec = fullSpec();
    const first = withGeneratedSecrets(spec, {});
    expect(first.generated).toEqual(['mysql.MYSQL_ROOT_PASSWORD']);
    expect(first.secrets.mysql!.MYSQL_ROOT_PASSWORD).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const again = withGeneratedSecrets(spec, first.secrets);
    expect(again.generated).toEqual([]);
    expect(again.secrets).toEqual(first.secrets);
  });
});

describe('add-on values', () => {
  it('Traefik: bound to the ingress node by hostPort, no LoadBalancer Service', () => {
    const v = traefikValues({ node: 'w1', email: 'me@example.com', acme: 'production' }) as Record<string, any>;
    expect(v.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w1' });
    expect(v.ports.web).toMatchObject({ port: 8000, hostPort: 80 });
    expect(v.ports.websecure).toMatchObject({ port: 8443, hostPort: 443 });
    expect(v.service.enabled).toBe(false);
    expect(v.hostNetwork).toBeUndefined();
    expect(v.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it("Traefik: its own ACME resolver, staging or production from the spec, acme.json on the ingress node's disk", () => {
    for (const acme of ['staging', 'production'] as const) {
      const v = traefikValues({ node: 'w1', email: 'me+hk@example.com', acme }) as Record<string, any>;
      expect(v.certificatesResolvers).toEqual({
        letsencrypt: {
          acme: {
            email: 'me+hk@example.com',
            caServer: acme === 'staging' ? 'https://acme-staging-v02.api.letsencrypt.org/directory' : 'https://acme-v02.api.letsencrypt.org/directory',
            storage: '/acme/acme.json',
            httpChallenge: { entryPoint: 'web' },
          },
        },
      });
    }
    const v = traefikValues({ node: 'w1', email: 'me@example.com', acme: 'production' }) as Record<string, any>;
    expect(v.deployment.replicas).toBe(1);
    expect(v.deployment.additionalVolumes).toEqual([{ name: 'acme', hostPath: { path: ACME_DIR, type: 'Directory' } }]);
    expect(v.additionalVolumeMounts).toEqual([{ name: 'acme', mountPath: '/acme' }]);
    expect(v.persistence).toBeUndefined();
  });

  it('Traefik: every HTTP request is redirected to HTTPS (chart 39+ syntax, under http)', () => {
    const v = traefikValues({ node: 'w1', email: 'me@example.com', acme: 'production' }) as Record<string, any>;
    expect(v.ports.web.http.redirections).toEqual({ entryPoint: { to: 'websecure', scheme: 'https', permanent: true } });
    expect(v.ports.web.redirections).toBeUndefined();
  });

  it('Traefik: request and limit, read by the capacity check from the same values', () => {
    const v = traefikValues({ node: 'w1', email: 'me@example.com', acme: 'production' }) as Record<string, any>;
    expect(v.resources).toEqual({ requests: { cpu: '50m', memory: '48Mi' }, limits: { memory: '144Mi' } });
    expect(addonPods(fullSpec())).toEqual([{ name: 'traefik', memoryMiB: 48, limitMiB: 144, node: 'w1', toleratesControlPlane: true }]);
  });

  it('the values file stays valid YAML and keeps the owner\'s email exactly', () => {
    const email = 'o\'neil+"hk"@example.com';
    const text = valuesYaml(traefikValues({ node: 'w1', email, acme: 'staging' }));
    const [doc] = parseAllDocuments(text);
    expect(doc!.errors).toEqual([]);
    expect((doc!.toJS() as Record<string, any>).certificatesResolvers.letsencrypt.acme.email).toBe(email);
  });

  it('pins chart and helm versions', () => {
    expect([TRAEFIK_CHART.version, HELM_VERSION]).toEqual(['41.5.0', 'v4.3.0']);
  });
});
