'use strict';
// Used by the helm double: what a chart puts in the cluster, rendered from the values file, for
// the charts hobbykube installs. Only the parts the fake cluster models: Traefik's Deployment
// (replicas, nodeSelector, tolerations, container resources, volumes) so the kubectl double
// schedules it by its memory request like the real scheduler would. Prints YAML (or nothing).
//   node helm-chart.cjs CHART NAMESPACE RELEASE VALUES_FILE
const fs = require('node:fs');
const YAML = require('yaml');

const [chart, ns, release, valuesFile] = process.argv.slice(2);
let values = {};
if (valuesFile) values = YAML.parse(fs.readFileSync(valuesFile, 'utf8')) ?? {};
if (chart === 'traefik') {
  const labels = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': `${release}-${ns}` };
  const d = values.deployment ?? {};
  const ports = Object.entries(values.ports ?? {}).filter(([, p]) => p).map(([name, p]) => ({ name, containerPort: p.port, ...(p.hostPort ? { hostPort: p.hostPort } : {}), protocol: 'TCP' }));
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: release, namespace: ns, labels },
    spec: {
      replicas: d.replicas ?? 1,
      selector: { matchLabels: labels },
      strategy: values.updateStrategy ?? { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          ...(values.nodeSelector ? { nodeSelector: values.nodeSelector } : {}),
          ...(values.tolerations ? { tolerations: values.tolerations } : {}),
          securityContext: values.podSecurityContext ?? { runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true },
          containers: [{ name: release, image: 'docker.io/traefik:v3.7.13', ports, resources: values.resources ?? {}, volumeMounts: values.additionalVolumeMounts ?? [] }],
          volumes: d.additionalVolumes ?? [],
        },
      },
    },
  };
  process.stdout.write(YAML.stringify(deployment));
}
