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
  /** Words after the first "--" are not parsed: they reach the handler as `rest` (exec's command). */
  passthrough?: boolean;
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
      'change workloads, deploy a new version, roll back, show logs, status, doctor, upgrade Kubernetes,\n' +
      'kubeconfig, remove a worker, reset. Needs an interactive terminal; elsewhere use `apply`.',
    options: { file, plain: { type: 'boolean', help: WIZARD_PLAIN_HELP } },
    run: async (c) => (await import('./commands/wizard.js')).run(c),
  },
  {
    name: 'apply',
    summary: 'make the cluster match the spec file (install, join, deploy)',
    usage: 'hobbykube apply [-f FILE] [--yes] [--prune]',
    description:
      'Reads the spec, gathers facts from every node, shows the plan and, after confirmation, runs it:\n' +
      'prepares the nodes (each with a host firewall: SSH always open, Kubernetes ports for the nodes only),\n' +
      'runs kubeadm (Secrets encrypted at rest), installs the pod network (WireGuard-encrypted between\n' +
      'nodes), joins workers and deploys the workloads, after per-node memory tables (requests, surge pods,\n' +
      'every pod at its limit against RAM + swap). Every step checks first whether it is already done, so\n' +
      'applying twice changes nothing the second time.',
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
      'what, which ports each node keeps open to whom, and every step. Nothing on the nodes is changed.',
    options: {
      file,
      yes,
      offline: { type: 'boolean', help: 'do not contact the nodes (assume nothing is installed, each address on its node\'s interface, and 2048 MiB of memory)' },
      memory: { type: 'string', value: 'MIB', help: 'with --offline: the memory (MiB) to assume per node for the kubelet\'s reservations (default 2048)' },
      out: { type: 'string', value: 'DIR', help: 'also write every script and config file apply would send into DIR (firewall rulesets, the encryption config with its key redacted)' },
    },
    run: async (c) => (await import('./commands/plan.js')).run(c),
  },
  {
    name: 'add-worker',
    summary: 'add a worker node to the spec and join it to the cluster',
    usage: 'hobbykube add-worker --name NAME --address ADDRESS [--user USER] [--port PORT] [--key FILE] [-f FILE] [--yes]',
    description:
      'Adds the node to the spec file, then prepares and joins only that node with a freshly minted token.\n' +
      'The other workers get one step only: their host firewall lets the new node in (their addresses are\n' +
      'read first). Workloads are not re-applied (their memory requests depend on every node): run apply.',
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
      'Drains the worker and deletes its Node object on the control plane, runs kubeadm reset on it, makes\n' +
      'every remaining node\'s host firewall stop letting it in, then removes it from the spec file, after a\n' +
      'confirmation naming what is wiped. The machine keeps running.',
    options: { file, yes, name: { type: 'string', value: 'NAME', help: 'the worker to remove' } },
    run: async (c) => (await import('./commands/remove-worker.js')).run(c),
  },
  {
    name: 'deploy',
    summary: 'roll one workload out to a new image (or restart it), fast and watched',
    usage: 'hobbykube deploy NAME [--image REF] [-f FILE] [--yes]',
    description:
      'Sets NAME\'s image, checks memory for its surge pod (and release Job), applies only that workload\n' +
      '(its database user, its release command first, then its Deployment or CronJob) and follows the\n' +
      'rollout; only the control plane is contacted. A failed release command leaves the old version\n' +
      'serving; a failed rollout puts the old image back. On success hobbykube.yaml gets the new image and\n' +
      'the old one is kept for rollback. Without --image: restart NAME\'s pods with the same image.',
    options: { file, yes, image: { type: 'string', value: 'REF', help: 'the new image, with a tag or digest (ghcr.io/me/app:1.3)' } },
    positionals: { name: 'NAME', help: 'the workload (an app, a worker or a cron job)', max: 1 },
    run: async (c) => (await import('./commands/deploy.js')).run(c),
  },
  {
    name: 'rollback',
    summary: 'return one workload to the image it ran before its last deploy',
    usage: 'hobbykube rollback NAME [-f FILE] [--yes]',
    description:
      'Deploys the image the last `hobbykube deploy NAME` replaced (kept in the state directory\'s\n' +
      'history.yaml), the same way deploy does but without the release command; repeated rollbacks walk\n' +
      'back one deploy at a time. hobbykube.yaml gets that image.',
    options: { file, yes },
    positionals: { name: 'NAME', help: 'the workload', max: 1 },
    run: async (c) => (await import('./commands/rollback.js')).run(c),
  },
  {
    name: 'logs',
    summary: "show a workload's logs (a cron job's last run)",
    usage: 'hobbykube logs NAME [-f] [--since DURATION] [--tail LINES] [--file FILE]',
    description:
      "Prints the logs of NAME's pods through kubectl on the control plane: every pod of an app or worker\n" +
      "(each line prefixed with its pod when there are several), the database's pod, a cron job's newest\n" +
      'run. With -f (--follow), keeps printing until Ctrl-C. Here -f follows, as in kubectl and tail: the\n' +
      'spec file is --file.',
    options: {
      file: { type: 'string', value: 'FILE', help: file.help },
      follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until Ctrl-C' },
      since: { type: 'string', value: 'DURATION', help: 'only lines newer than this, such as 10m or 2h' },
      tail: { type: 'string', value: 'LINES', help: 'only the last LINES lines of each pod' },
    },
    positionals: { name: 'NAME', help: 'the workload', max: 1 },
    run: async (c) => (await import('./commands/logs.js')).run(c),
  },
  {
    name: 'exec',
    summary: "run a command in a workload's container",
    usage: 'hobbykube exec NAME [-f FILE] -- COMMAND [ARGS...]',
    description:
      "Runs COMMAND in one of NAME's running containers (the database's pod; a cron job's run while it\n" +
      'runs) through kubectl on the control plane. From a terminal it is interactive (a terminal of its\n' +
      "own: `hobbykube exec blog -- bin/rails console`); otherwise input is passed on. Exits with the\n" +
      "command's own exit status.",
    options: { file },
    positionals: { name: 'NAME', help: 'the workload', max: 1 },
    passthrough: true,
    run: async (c) => (await import('./commands/exec.js')).run(c),
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
      "Runs kubeadm reset and cleans CNI state, kubeconfigs, hobbykube's swapfile and its host firewall\n" +
      '(SSH was never closed), workers before the control plane, after a confirmation that names exactly\n' +
      'what will be wiped.',
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
