// The command table: each command's options, help text and handler, in one place, so that
// `--help`, the README and the parser cannot drift apart. Handlers load lazily to keep start-up fast.
import type { Context } from './context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help for string options. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments allowed (none by default). */
  positionals?: { name: string; help: string; max: number };
  run: (context: Context) => Promise<number>;
}

export const WIZARD_PLAIN_HELP = 'ask line by line instead of full-screen (screen readers, simple terminals)';

const file: OptionSpec = { type: 'string', short: 'f', value: 'FILE', help: 'the cluster spec file (default: hobbykube.yaml)' };
const yes: OptionSpec = { type: 'boolean', short: 'y', help: 'do not ask for confirmation: accept new host keys and go ahead' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'wizard',
    summary: 'the interactive wizard (the default when no command is given)',
    usage: 'hobbykube [--plain] [-f FILE]',
    description:
      'Asks about your nodes, DNS, domains and workloads, checks each answer against the real nodes, and\n' +
      'writes the spec file. With a spec file already in the folder it opens a menu instead: add a worker,\n' +
      'change workloads, status, kubeconfig, reset. Needs an interactive terminal; elsewhere use `apply`.',
    options: { file, plain: { type: 'boolean', help: WIZARD_PLAIN_HELP } },
    run: async (c) => (await import('./commands/wizard.js')).run(c),
  },
  {
    name: 'apply',
    summary: 'make the cluster match the spec file (install, join, deploy)',
    usage: 'hobbykube apply [-f FILE] [--yes] [--prune]',
    description:
      'Reads the spec, gathers facts from every node, shows the plan and, after confirmation, runs it:\n' +
      'prepares the nodes, runs kubeadm, joins workers and deploys the workloads, after per-node memory\n' +
      'tables (requests, surge pods, every pod at its limit against RAM + swap). Every step checks first\n' +
      'whether it is already done, so applying twice changes nothing the second time.',
    options: {
      file,
      yes,
      prune: { type: 'boolean', help: 'also delete objects hobbykube made that the spec no longer has' },
    },
    run: async (c) => (await import('./commands/apply.js')).run(c),
  },
  {
    name: 'plan',
    summary: 'check the spec and show what apply would do, changing nothing',
    usage: 'hobbykube plan [-f FILE] [--offline [--memory MIB]] [--out DIR] [--yes]',
    description:
      'Validates the spec file (every problem with its line and column), connects to each node to gather\n' +
      'its facts and judge them against its role, and prints the result: which address each node uses for\n' +
      'what, and every step. Nothing on the nodes is changed.',
    options: {
      file,
      yes,
      offline: { type: 'boolean', help: 'do not contact the nodes (assume nothing is installed, each address on its node\'s interface, and 2048 MiB of memory)' },
      memory: { type: 'string', value: 'MIB', help: 'with --offline: the memory (MiB) to assume per node for the kubelet\'s reservations (default 2048)' },
      out: { type: 'string', value: 'DIR', help: 'also write every script and config file apply would send into DIR' },
    },
    run: async (c) => (await import('./commands/plan.js')).run(c),
  },
  {
    name: 'add-worker',
    summary: 'add a worker node to the spec and join it to the cluster',
    usage: 'hobbykube add-worker --name NAME --address ADDRESS [--user USER] [--port PORT] [--key FILE] [-f FILE] [--yes]',
    description:
      'Adds the node to the spec file, then prepares and joins only that node with a freshly minted token.\n' +
      'Workloads are not re-applied (their memory requests depend on every node): run apply for that.',
    options: {
      file,
      yes,
      name: { type: 'string', value: 'NAME', help: 'the new node\'s name (e.g. w2)' },
      address: { type: 'string', value: 'ADDRESS', help: 'its IP address or host name' },
      user: { type: 'string', value: 'USER', help: 'SSH login user (default: from ~/.ssh/config, else root)' },
      port: { type: 'string', value: 'PORT', help: 'SSH port (default 22)' },
      key: { type: 'string', value: 'FILE', help: 'SSH private key file (default: the SSH agent or ~/.ssh/config)' },
    },
    run: async (c) => (await import('./commands/add-worker.js')).run(c),
  },
  {
    name: 'remove-worker',
    summary: 'drain a worker, reset it and drop it from the spec',
    usage: 'hobbykube remove-worker --name NAME [-f FILE] [--yes]',
    description:
      'Drains the worker and deletes its Node object on the control plane, runs kubeadm reset on it, then\n' +
      'removes it from the spec file, after a confirmation naming what is wiped. The machine keeps running.',
    options: { file, yes, name: { type: 'string', value: 'NAME', help: 'the worker to remove' } },
    run: async (c) => (await import('./commands/remove-worker.js')).run(c),
  },
  {
    name: 'upgrade',
    summary: 'upgrade Kubernetes one minor release, one node at a time (or renew the certificates)',
    usage: 'hobbykube upgrade [--to 1.N] [-f FILE] [--yes] | hobbykube upgrade --renew-certs [-f FILE] [--yes]',
    description:
      'Moves a running cluster to the next Kubernetes minor (kubeadm upgrades one at a time): the control\n' +
      'plane first (pkgs.k8s.io repository, kubeadm, kubeadm upgrade plan and apply, kubelet and kubectl),\n' +
      'then each worker in turn (drain, kubeadm upgrade node, kubelet and kubectl, Ready, uncordon), never\n' +
      'two drained at once. Before anything runs it says which workloads stay up during each drain and\n' +
      'which are down (a database on the drained node, pods with no room elsewhere), shows the plan and\n' +
      'asks. A two-minor jump or a downgrade is refused; a half-done upgrade is offered to finish. Resumes\n' +
      'after a failure or Ctrl-C. The spec\'s kubernetesVersion changes once every node runs the new\n' +
      'version. The upgrade renews the control plane\'s certificates; --renew-certs renews them alone.',
    options: {
      file,
      yes,
      to: { type: 'string', value: '1.N', help: 'the version to reach: the next minor (the default) or a patch release of it, such as 1.37.2' },
      'renew-certs': { type: 'boolean', help: 'renew the control plane\'s certificates (one more year) without changing the version' },
    },
    run: async (c) => (await import('./commands/upgrade.js')).run(c),
  },
  {
    name: 'status',
    summary: 'show nodes, memory and workloads live',
    usage: 'hobbykube status [-f FILE] [--once]',
    description:
      'Connects to every node and shows memory, readiness, each node\'s kubelet version, the control plane\'s\n' +
      'certificate expiry and each workload\'s rollout until you quit (q). With --once, or when the output\n' +
      'is not a terminal, prints one plain snapshot and exits: 0 when every node is Ready and every workload\n' +
      'available, 1 otherwise (also when a certificate expires within 30 days or the nodes run two minors).',
    options: { file, once: { type: 'boolean', help: 'print one plain snapshot and exit (1 if anything is not ready)' } },
    run: async (c) => (await import('./commands/status.js')).run(c),
  },
  {
    name: 'doctor',
    summary: 'find what is wrong with the cluster and say how to fix it',
    usage: 'hobbykube doctor [-f FILE] [--json] [--resolver IP[:PORT]] [--yes]',
    description:
      'Checks every node over SSH, the cluster through the control plane, and the app domains from this computer,\n' +
      'all at once, each check with a time limit: SSH and host keys, kubelet and containerd, Ready and pressure,\n' +
      'swap, disk, clocks, DNS (the 127.0.0.53 trap, CoreDNS, lookups from a pod), memory (available, OOM kills,\n' +
      'evictions, the API server), workloads (image pulls, crash loops, Pending, CronJobs), ports 80/443, A records,\n' +
      'certificates, versions, a half-finished apply and a stale lock. Each finding shows its evidence and the fix.\n' +
      'Changes nothing on the nodes (the DNS lookup runs in a short-lived pod that is removed). Never asks: new host\n' +
      'keys are pinned only with --yes, a sudo password comes from HOBBYKUBE_SUDO_PASSWORD. Exit 0 when every check\n' +
      'passed, 1 when something was found or could not be checked.',
    options: {
      file,
      yes,
      json: { type: 'boolean', help: 'print one JSON document (every check, its findings, evidence and fix) instead of text' },
      resolver: { type: 'string', value: 'IP[:PORT]', help: "ask this DNS server for the app domains' A records (default: this computer's resolver)" },
    },
    run: async (c) => (await import('./commands/doctor.js')).run(c),
  },
  {
    name: 'reset',
    summary: 'wipe Kubernetes from one node or the whole cluster (kubeadm reset)',
    usage: 'hobbykube reset [--node NAME] [-f FILE] [--yes]',
    description:
      "Runs kubeadm reset and cleans CNI state, kubeconfigs and hobbykube's swapfile, workers before the\n" +
      'control plane, after a confirmation that names exactly what will be wiped.',
    options: { file, yes, node: { type: 'string', value: 'NAME', help: 'reset only this node' } },
    run: async (c) => (await import('./commands/reset.js')).run(c),
  },
  {
    name: 'kubeconfig',
    summary: 'write the cluster\'s admin kubeconfig for kubectl',
    usage: 'hobbykube kubeconfig [-f FILE] [--out PATH | --merge]',
    description:
      'Reads the admin kubeconfig from the control plane and writes it (0600) to PATH, by default\n' +
      '~/.hobbykube/CLUSTER/kubeconfig (never to the terminal or the project folder: it is a credential), or\n' +
      'merges it into $KUBECONFIG\'s first file or ~/.kube/config as a context named after the cluster,\n' +
      'keeping a backup and every other context.',
    options: {
      file,
      out: { type: 'string', value: 'PATH', help: 'write the kubeconfig here instead (keep it out of version control)' },
      merge: { type: 'boolean', help: 'merge into ~/.kube/config, leaving other contexts alone' },
    },
    run: async (c) => (await import('./commands/kubeconfig.js')).run(c),
  },
  {
    name: 'backup',
    summary: 'copy the databases, the cluster state, the certificates and your secrets to this machine',
    usage: 'hobbykube backup [-f FILE] [--out DIR] [--latest-dumps] [--yes]',
    description:
      'Takes a fresh dump of every database (a Job on its dump node), an etcd snapshot through the control\n' +
      'plane\'s etcd pod, Traefik\'s acme.json, the spec and secrets.yaml, and copies them over SSH into\n' +
      '~/.hobbykube/CLUSTER/backups/TIMESTAMP/ (or DIR): directory 0700, files 0600, and a manifest with each\n' +
      'file\'s size and sha256, written last. An interrupted backup leaves nothing that looks finished.',
    options: {
      file,
      yes,
      out: { type: 'string', value: 'DIR', help: 'write the backup into DIR (which must not exist, or be empty) instead' },
      'latest-dumps': { type: 'boolean', help: 'copy the newest scheduled dumps instead of taking fresh ones' },
    },
    run: async (c) => (await import('./commands/backup.js')).run(c),
  },
  {
    name: 'restore',
    summary: 'load database dumps from a backup into the running databases',
    usage: 'hobbykube restore --from DIR [--database NAME] [--check] [-f FILE] [--yes]',
    description:
      'Checks every file of the backup against its manifest (size, sha256; dumps must be whole gzip\n' +
      'streams holding a MySQL dump) and refuses a damaged or truncated dump. Then, after a confirmation\n' +
      'naming what is overwritten, loads each dump (or only NAME\'s) through the mysql client in the\n' +
      'database\'s pod: the databases in the dump are dropped and recreated from it. With --check it only\n' +
      'checks the backup.',
    options: {
      file,
      yes,
      from: { type: 'string', value: 'DIR', help: 'the backup directory (made by hobbykube backup)' },
      database: { type: 'string', value: 'NAME', help: 'restore only this database workload' },
      check: { type: 'boolean', help: 'only check the backup against its manifest; load nothing' },
    },
    run: async (c) => (await import('./commands/restore.js')).run(c),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
