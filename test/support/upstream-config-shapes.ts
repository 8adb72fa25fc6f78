// Strict shapes of the two configuration APIs hobbykube writes that kubernetes-models does not
// cover, transcribed from their upstream Go types (reference, for validation in tests):
//
// - kubeadm.k8s.io/v1beta4 ClusterConfiguration (cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go):
//   ControlPlaneComponent.extraArgs []Arg{name, value}, extraVolumes []HostPathMount{name,
//   hostPath, mountPath, readOnly, pathType (corev1.HostPathType)}, extraEnvs; APIServer adds
//   certSANs.
// - apiserver.config.k8s.io/v1 EncryptionConfiguration (k8s.io/apiserver/pkg/apis/apiserver/v1):
//   resources []ResourceConfiguration{resources []string, providers []ProviderConfiguration{aesgcm,
//   aescbc, secretbox {keys []Key{name, secret}}, identity {}, kms}}, and the API server's own
//   validation: one provider per entry, at least one key, key names unique, a secretbox key is 32
//   bytes of base64.
//
// Unknown fields are reported: kubeadm warns about them and `kubeadm config validate` refuses
// them (FIELD-NOTES), the API server refuses an EncryptionConfiguration it cannot decode strictly.

export type Shape =
  | 'string'
  | 'boolean'
  | 'any'
  | { enum: readonly string[] }
  | { list: Shape }
  | { map: Shape }
  | { object: Record<string, Shape>; required?: readonly string[] };

export function checkShape(value: unknown, shape: Shape, path = ''): string[] {
  const at = path || '(root)';
  if (shape === 'any') return [];
  if (shape === 'string') return typeof value === 'string' ? [] : [`${at}: expected a string, got ${JSON.stringify(value)}`];
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : [`${at}: expected a boolean, got ${JSON.stringify(value)}`];
  if ('enum' in shape) return typeof value === 'string' && shape.enum.includes(value) ? [] : [`${at}: expected one of ${shape.enum.join(', ')}, got ${JSON.stringify(value)}`];
  if ('list' in shape) {
    if (!Array.isArray(value)) return [`${at}: expected a list`];
    return value.flatMap((item, i) => checkShape(item, shape.list, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected a mapping`];
  const record = value as Record<string, unknown>;
  if ('map' in shape) return Object.entries(record).flatMap(([k, v]) => checkShape(v, shape.map, `${path}.${k}`));
  const problems: string[] = [];
  for (const key of Object.keys(record)) if (!(key in shape.object)) problems.push(`${path}.${key}: unknown field`);
  for (const key of shape.required ?? []) if (!(key in record)) problems.push(`${path}.${key}: required`);
  for (const [key, sub] of Object.entries(shape.object)) if (key in record) problems.push(...checkShape(record[key], sub, `${path}.${key}`));
  return problems;
}

const ARG: Shape = { object: { name: 'string', value: 'string' }, required: ['name', 'value'] };
/** corev1.HostPathType. */
const HOST_PATH_TYPE: Shape = { enum: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] };
const HOST_PATH_MOUNT: Shape = { object: { name: 'string', hostPath: 'string', mountPath: 'string', readOnly: 'boolean', pathType: HOST_PATH_TYPE }, required: ['name', 'hostPath', 'mountPath'] };
const COMPONENT = { extraArgs: { list: ARG }, extraVolumes: { list: HOST_PATH_MOUNT }, extraEnvs: { list: 'any' as Shape } };

export const KUBEADM_V1BETA4_CLUSTER_CONFIGURATION: Shape = {
  object: {
    apiVersion: { enum: ['kubeadm.k8s.io/v1beta4'] },
    kind: { enum: ['ClusterConfiguration'] },
    etcd: 'any',
    networking: { object: { serviceSubnet: 'string', podSubnet: 'string', dnsDomain: 'string' } },
    kubernetesVersion: 'string',
    controlPlaneEndpoint: 'string',
    apiServer: { object: { ...COMPONENT, certSANs: { list: 'string' } } },
    controllerManager: { object: COMPONENT },
    scheduler: { object: COMPONENT },
    dns: 'any',
    proxy: 'any',
    certificatesDir: 'string',
    imageRepository: 'string',
    featureGates: { map: 'boolean' },
    clusterName: 'string',
    encryptionAlgorithm: { enum: ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256'] },
    certificateValidityPeriod: 'string',
    caCertificateValidityPeriod: 'string',
  },
  required: ['apiVersion', 'kind'],
};

const KEY: Shape = { object: { name: 'string', secret: 'string' }, required: ['name', 'secret'] };
const KEYS: Shape = { object: { keys: { list: KEY } }, required: ['keys'] };
const PROVIDER: Shape = { object: { aesgcm: KEYS, aescbc: KEYS, secretbox: KEYS, identity: { object: {} }, kms: 'any' } };

export const ENCRYPTION_CONFIGURATION_V1: Shape = {
  object: {
    apiVersion: { enum: ['apiserver.config.k8s.io/v1'] },
    kind: { enum: ['EncryptionConfiguration'] },
    resources: { list: { object: { resources: { list: 'string' }, providers: { list: PROVIDER } }, required: ['resources', 'providers'] } },
  },
  required: ['apiVersion', 'kind', 'resources'],
};

/** The shape, then the API server's own rules for an EncryptionConfiguration. */
export function checkEncryptionConfiguration(config: unknown): string[] {
  const problems = checkShape(config, ENCRYPTION_CONFIGURATION_V1);
  if (problems.length > 0) return problems;
  const resources = (config as { resources: Array<{ resources: string[]; providers: Array<Record<string, { keys?: Array<{ name: string; secret: string }> }>> }> }).resources;
  resources.forEach((r, i) => {
    if (r.resources.length === 0) problems.push(`.resources[${i}].resources: at least one resource`);
    if (r.providers.length === 0) problems.push(`.resources[${i}].providers: at least one provider`);
    r.providers.forEach((p, j) => {
      const kinds = Object.keys(p);
      if (kinds.length !== 1) problems.push(`.resources[${i}].providers[${j}]: exactly one provider type, got ${kinds.join(', ') || 'none'}`);
      for (const [kind, conf] of Object.entries(p)) {
        if (kind === 'identity' || kind === 'kms') continue;
        const keys = conf.keys ?? [];
        if (keys.length === 0) problems.push(`.resources[${i}].providers[${j}].${kind}.keys: at least one key`);
        if (new Set(keys.map((k) => k.name)).size !== keys.length) problems.push(`.resources[${i}].providers[${j}].${kind}.keys: names repeat`);
        for (const k of keys) {
          const bytes = Buffer.from(k.secret, 'base64');
          const sizes = kind === 'secretbox' || kind === 'aescbc' ? [32] : [16, 24, 32];
          if (bytes.toString('base64') !== k.secret || !sizes.includes(bytes.length)) problems.push(`.resources[${i}].providers[${j}].${kind}.keys[${k.name}]: a ${sizes.join('/')}-byte key in base64`);
        }
      }
    });
  });
  return problems;
}
