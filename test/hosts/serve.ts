// Dev tool: start test hosts and write a spec for them, then stay up until Ctrl-C, so the CLI
// can be tried by hand (in tmux) against real sshd hosts.
//   npx tsx test/hosts/serve.ts 3 /tmp/hk/hobbykube.yaml [nat] [small] [nochart]
// With "nat", every host shows only a private address (10.0.0.N/24) on its interface, as a VPS
// whose public address is NAT'd. With "small", the hosts are the owner's cheap VPSes: a "1 GB"
// control plane (MemTotal 970 MiB, 2 CPUs) and "512 MB" workers (470 MiB, 1 CPU). With "nochart",
// the control plane's chart cache is empty: the install downloads the Traefik chart, and the
// stand-in archive the test bed serves fails its pinned sha256 check.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { startHosts, type HostProfile } from './harness.js';

const count = Number(process.argv[2] ?? 3);
const specPath = process.argv[3] ?? 'hobbykube.yaml';
const nat = process.argv.slice(4).includes('nat');
const small = process.argv.slice(4).includes('small');
const nochart = process.argv.slice(4).includes('nochart');
const [cpMb, workerMb] = small ? [970, 470] : [1970, 970];
const profiles: HostProfile[] = Array.from({ length: count }, (_, i): HostProfile => ({
  ...(i === 0 ? { name: 'cp1', memTotalMb: cpMb } : { name: `w${i}`, memTotalMb: workerMb, cpus: 1 }),
  ...(nat ? { interfaceAddresses: [`10.0.0.${i + 5}/24`] } : {}),
  ...(nochart ? { traefikChart: false as const } : {}),
}));
const bed = await startHosts(profiles);
const spec = {
  apiVersion: 'hobbykube.dev/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'dev' },
  spec: {
    nodes: bed.hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      role: i === 0 ? 'control-plane' : 'worker',
      ssh: { user: bed.users.nopasswd, keyPath: bed.keyPath },
    })),
    dns: { upstream: ['203.0.113.53'] },
  },
};
writeFileSync(specPath, stringify(spec));
process.stdout.write(`${bed.hosts.map((h) => `${h.name} ${h.address} ${h.hostKeyFingerprint}`).join("\n")}\nbed: ${bed.dir} (fake registries and images: shared/registries, shared/images)\nspec: ${specPath}\nsudo password for ${bed.users.password}: ${bed.users.sudoPassword}\nCtrl-C to stop.\n`);
const stop = () => void bed.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
