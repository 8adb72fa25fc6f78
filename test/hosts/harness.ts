// Real OpenSSH test hosts: one sshd per fake VPS, each in its own mount + UTS namespace on
// its own loopback address, with private writable views of the system and recorded doubles
// for everything that would touch the kernel, the network or real services.
// See test/hosts/README.md for the design and what each double covers.
import { HELM_VERSION, TRAEFIK_CHART } from '../../src/workloads/addons.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type HostOs = 'ubuntu-24.04' | 'ubuntu-22.04' | 'debian-12';

export interface HostProfile {
  name?: string; // default h1, h2, ...
  os?: HostOs; // default ubuntu-24.04
  memTotalMb?: number; // default 1970; a "1 GB" VPS reports about 970
  memAvailableMb?: number; // default memTotalMb - FRESH_OS_MIB (a freshly installed minimal VPS)
  cpus?: number; // default min(2, CPUs this process may use); enforced with taskset
  resolvedStub?: boolean; // default true on Ubuntu, false on Debian
  upstreamDns?: string[]; // nameservers in /run/systemd/resolve/resolv.conf (never contacted)
  swapMb?: number; // default 1024; 0 = no swap
  port?: number; // default 22
  cgroup?: 'v1' | 'v2'; // default v2 (as on Ubuntu 22.04+/Debian 12 VPSes), even on a hybrid-cgroup test machine
  // helm already in /usr/local/bin at this version (default: the version hobbykube pins), or false.
  // Preinstalled because the real helm tarball cannot be fetched here, and a fake one would
  // rightly fail the install step's pinned sha256 check.
  helm?: string | false;
  // The Traefik chart archive already in the control plane's chart cache at this version (default:
  // the version hobbykube pins), or false. There for the same reason as helm: the real archive
  // cannot be fetched here, and the stand-in the test bed's curl serves rightly fails the pinned
  // sha256 check (a test that wants to see that check says false).
  traefikChart?: string | false;
  // Global addresses on the host's interfaces, as CIDRs ("10.0.0.5/24", "2001:db8::5/64"), all on
  // eth0 (a "dev" prefix picks another: "eth1 10.1.0.5/24"); the first IPv4 one is the default
  // route's source. Default: [] = the host's own test address on eth0, as on a VPS whose public
  // address is on its interface. A NAT'd VPS lists only its private address here. The hosts share
  // this machine's network namespace, so the ip double serves these instead of the real ones.
  interfaceAddresses?: string[];
  // Kernel modules this VPS's kernel lacks (modprobe and /sys/module say so), e.g. ['wireguard']
  // for a kernel without WireGuard. Default: none missing.
  missingModules?: string[];
}

export interface Recording {
  host: string;
  argv: string[]; // argv[0] is the command name as invoked (basename)
  stdin?: string; // only for calls whose arguments mean "read stdin" (see README)
  files?: Record<string, string>; // contents of files named by --config / -f, when read
  uid: number;
  time: number; // ms since epoch
  netns?: 'private'; // called inside a network namespace of its own (`unshare --net`): nothing reached the host
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FaultSpec {
  command: string; // double name, e.g. 'apt-get'
  match?: string; // substring of the joined argv that must be present, e.g. 'install'
  exitCode: number;
  stderr?: string;
  stdout?: string;
  times?: number | 'always'; // default 1
}

export interface TestHost {
  name: string;
  address: string;
  port: number;
  profile: Required<Omit<HostProfile, 'name' | 'port'>>;
  hostKeyFingerprint: string; // 'SHA256:...' as printed by ssh-keygen -lf
  hostKeyPublic: string; // 'ssh-ed25519 AAAA...' (for known_hosts lines)
  dir: string; // this host's harness dir (outside the namespace)
  recordings(): Recording[];
  clearRecordings(): void;
  rootExec(command: string, input?: string): Promise<ExecResult>;
  signalSshd(sig: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  regenerateHostKey(): Promise<void>;
  restart(): Promise<void>;
  setDelay(ms: number, command?: string): void; // per double call; command-specific wins
  injectFault(fault: FaultSpec): void;
  clearControls(): void; // removes delays, faults and served URLs
  serveUrl(url: string, body: string | Buffer): void; // what curl/wget (and kubectl -f URL) get for url
  setClockOffset(ms: number): void; // the host's clock (the date double) runs ms ahead (negative: behind); 0 = exact
  setMemAvailable(mb: number): void; // MemAvailable (and MemFree) in /proc/meminfo from now on; swap lines stay
  setDisk(disk: { totalMb: number; freeMb: number } | undefined): Promise<void>; // the host's disk (the tmpfs under /var ...) made that small and filled to leave freeMb; undefined: as at start
  pids(): number[]; // every process inside this host's namespaces (sshd, sessions, holder)
  sshdPid(): number | undefined; // the listening sshd
}

export interface TestBed {
  hosts: TestHost[];
  keyPath: string; // unencrypted ed25519 client private key
  passphraseKeyPath: string;
  passphrase: string;
  users: { nopasswd: string; password: string; sudoPassword: string; nosudo: string };
  knownHostsPath: string; // a known_hosts file listing every host (by address and name)
  dir: string;
  startupMs: number;
  // The fake cluster's outside world (test/hosts/doubles/fake-images.cjs): a registry whose images
  // need this login to be pulled, and what an image's containers print while serving or whether
  // they crash. Shared by every host of the bed.
  fakeRegistry(host: string, login: { username: string; token: string }): void;
  fakeImage(ref: string, info: FakeImage): void;
  stop(): Promise<void>;
}

export interface FakeImage {
  /** What its container prints (a line, or one printed `ageSeconds` ago; default 1 s). */
  logs?: Array<string | { text: string; ageSeconds?: number }>;
  /** Its containers exit at once and restart (CrashLoopBackOff): a rollout of it never finishes. */
  crashes?: boolean;
  /** What the image's own programs do when run as a Job's or exec's command (the words joined by spaces). */
  runs?: Record<string, { exitCode: number; output: string[] }>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOUBLES = path.join(HERE, 'doubles');
const SETUP = path.join(HERE, 'ns-setup.sh');
const LOCK_ROOT = '/tmp/hobbykube-hosts-locks';
const NS_ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const TEST_USERS = {
  nopasswd: 'hkt-nopasswd',
  password: 'hkt-password',
  sudoPassword: 'hkt-sudo-S3cret',
  nosudo: 'hkt-nosudo',
} as const;
const SUDOERS_FILE = '/etc/sudoers.d/hobbykube-test-hosts';
const SUDOERS = `# hobbykube test harness users (test/hosts/harness.ts)\n${TEST_USERS.nopasswd} ALL=(ALL:ALL) NOPASSWD: ALL\n${TEST_USERS.password} ALL=(ALL:ALL) ALL\n`;

// ---------------------------------------------------------------- prerequisites

const TOOLS = ['/usr/sbin/sshd', 'unshare', 'nsenter', 'taskset', 'ssh', 'ssh-keygen', 'ssh-keyscan',
  'sudo', 'visudo', 'useradd', 'chpasswd', 'flock', 'mount', 'dpkg'];

function onPath(tool: string): boolean {
  if (tool.startsWith('/')) return isExecutable(tool);
  return (process.env.PATH ?? '').split(':').some((d) => d && isExecutable(path.join(d, tool)));
}
function isExecutable(p: string): boolean {
  try { fs.accessSync(p, fs.constants.X_OK); return true; } catch { return false; }
}

/** Everything missing for the harness to run here; empty when it can run. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return ['Linux (mount namespaces)'];
  if (process.getuid?.() !== 0) missing.push('root (uid 0): namespaces, mounts and useradd need it');
  for (const t of TOOLS) if (!onPath(t)) missing.push(t);
  let filesystems = '';
  try { filesystems = fs.readFileSync('/proc/filesystems', 'utf8'); } catch { /* reported below */ }
  for (const fsType of ['overlay', 'tmpfs']) if (!new RegExp(`\\t${fsType}\\n`).test(filesystems)) missing.push(`${fsType} filesystem`);
  return missing;
}

/** Throws a clear error listing what is missing. */
export function requireHarness(): void {
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    throw new Error(`OpenSSH test hosts cannot run here; missing: ${missing.join(', ')}. ` +
      '`npm test` as root installs what is missing (scripts/test-prereqs.sh).');
  }
}

// ---------------------------------------------------------------- small process helpers

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.on('error', () => { /* child may not read stdin */ });
    child.stdin.end(opts.input ?? '');
  });
}

async function runOk(cmd: string, args: string[], opts: { input?: string } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function mountNs(pid: number): string | undefined {
  try { return fs.readlinkSync(`/proc/${pid}/ns/mnt`); } catch { return undefined; }
}

/** Every process whose mount namespace is ns. */
function pidsInNs(ns: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (mountNs(Number(entry)) === ns) pids.push(Number(entry));
  }
  return pids;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try { stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8'); } catch { continue; }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const c of children.get(p) ?? []) { out.push(c); queue.push(c); }
  }
  return out;
}

function procState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch { return undefined; }
}

function isZombie(pid: number): boolean {
  const state = procState(pid);
  return state === undefined || state === 'Z';
}

function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

/** A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid, its identity. */
function procStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Signals `pid` only if it is still the process first seen under that pid: a killed sshd's pid
 * may already belong to another test's host (parallel workers), which must never be hit.
 */
function killIfSame(pid: number, start: string | undefined, sig: NodeJS.Signals): boolean {
  if (!pid || start === undefined || procStart(pid) !== start) return false;
  killQuietly(pid, sig);
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- address locks

// One lock directory per loopback address, shared by every harness instance on the machine
// (parallel vitest workers). mkdir is atomic; a lock whose owner died is taken over.
function lockAddress(n: number): boolean {
  const dir = path.join(LOCK_ROOT, `127.0.0.${n}`);
  try {
    fs.mkdirSync(dir);
  } catch {
    let owner = 0;
    try { owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8')); } catch { /* being created */ }
    if (owner === 0 || pidAlive(owner)) return false;
    const stale = `${dir}.stale.${process.pid}.${Date.now()}`;
    try { fs.renameSync(dir, stale); } catch { return false; } // someone else reclaimed it
    fs.rmSync(stale, { recursive: true, force: true });
    try { fs.mkdirSync(dir); } catch { return false; }
  }
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  return true;
}

function unlockAddress(address: string): void {
  fs.rmSync(path.join(LOCK_ROOT, address), { recursive: true, force: true });
}

function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: address, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function allocateAddress(port: number): Promise<string> {
  fs.mkdirSync(LOCK_ROOT, { recursive: true, mode: 0o755 });
  for (let n = 2; n < 255; n++) {
    if (!lockAddress(n)) continue;
    const address = `127.0.0.${n}`;
    if (await portFree(address, port)) return address;
    unlockAddress(address);
  }
  throw new Error('no free loopback address 127.0.0.2-254 for a test host');
}

// ---------------------------------------------------------------- users (machine-wide, idempotent)

let usersReady: Promise<void> | undefined;

async function withGlobalLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = path.join(LOCK_ROOT, name);
  fs.mkdirSync(LOCK_ROOT, { recursive: true, mode: 0o755 });
  for (let i = 0; ; i++) {
    try { fs.mkdirSync(dir); break; } catch {
      let owner = 0;
      try { owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8')); } catch { /* */ }
      if (owner && !pidAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
      if (i > 600) throw new Error(`timed out waiting for lock ${dir}`);
      await sleep(50);
    }
  }
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  try { return await fn(); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

function ensureUsers(): Promise<void> {
  usersReady ??= withGlobalLock('users', async () => {
    const passwd = fs.readFileSync('/etc/passwd', 'utf8');
    const names = [TEST_USERS.nopasswd, TEST_USERS.password, TEST_USERS.nosudo];
    for (const u of names) {
      if (!passwd.includes(`\n${u}:`) && !passwd.startsWith(`${u}:`)) await runOk('useradd', ['-m', '-s', '/bin/bash', u]);
    }
    // With UsePAM off, sshd refuses accounts whose password is locked ('!'): give all one.
    const shadow = fs.readFileSync('/etc/shadow', 'utf8');
    if (names.some((u) => new RegExp(`^${u}:!`, 'm').test(shadow)) || !fs.existsSync(SUDOERS_FILE)) {
      await runOk('chpasswd', [], {
        input: `${TEST_USERS.nopasswd}:hkt-unused-1\n${TEST_USERS.password}:${TEST_USERS.sudoPassword}\n${TEST_USERS.nosudo}:hkt-unused-2\n`,
      });
    }
    let current = '';
    try { current = fs.readFileSync(SUDOERS_FILE, 'utf8'); } catch { /* first run */ }
    if (current !== SUDOERS) {
      const tmp = `${SUDOERS_FILE}.tmp${process.pid}`;
      fs.writeFileSync(tmp, SUDOERS, { mode: 0o440 });
      try {
        await runOk('visudo', ['-cf', tmp]);
        fs.renameSync(tmp, SUDOERS_FILE);
      } finally { fs.rmSync(tmp, { force: true }); }
    }
  });
  return usersReady;
}

// ---------------------------------------------------------------- fake facts

const OS_RELEASE: Record<HostOs, string> = {
  'ubuntu-24.04': 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.3 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n',
  'ubuntu-22.04': 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.5 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=jammy\n',
  'debian-12': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
};

export function meminfoText(totalMb: number, availableMb: number, swapMb: number): string {
  const kb = (mb: number) => Math.round(mb * 1024);
  const total = kb(totalMb);
  const avail = kb(availableMb);
  const free = Math.round(avail * 0.45);
  const cached = Math.round(avail * 0.45);
  const rows: [string, number][] = [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', avail], ['Buffers', Math.round(total * 0.02)],
    ['Cached', cached], ['SwapCached', 0], ['Active', Math.round(total * 0.3)], ['Inactive', Math.round(total * 0.25)],
    ['Active(anon)', Math.round(total * 0.15)], ['Inactive(anon)', Math.round(total * 0.01)],
    ['Active(file)', Math.round(total * 0.15)], ['Inactive(file)', Math.round(total * 0.24)], ['Unevictable', 0],
    ['Mlocked', 0], ['SwapTotal', kb(swapMb)], ['SwapFree', kb(swapMb)], ['Zswap', 0], ['Zswapped', 0],
    ['Dirty', 120], ['Writeback', 0], ['AnonPages', Math.round(total * 0.16)], ['Mapped', Math.round(total * 0.08)],
    ['Shmem', Math.round(total * 0.01)], ['KReclaimable', Math.round(total * 0.04)], ['Slab', Math.round(total * 0.07)],
    ['SReclaimable', Math.round(total * 0.04)], ['SUnreclaim', Math.round(total * 0.03)], ['KernelStack', 3200],
    ['PageTables', Math.round(total * 0.006)], ['CommitLimit', Math.round(total / 2) + kb(swapMb)],
    ['Committed_AS', Math.round(total * 0.6)], ['VmallocTotal', 34359738367], ['VmallocUsed', 14000],
    ['HugePages_Total', 0], ['HugePages_Free', 0], ['Hugepagesize', 2048], ['DirectMap4k', 131072],
  ];
  return rows.map(([k, v]) => (k.startsWith('HugePages_') ? `${`${k}:`.padEnd(16)}${String(v).padStart(8)}` : `${`${k}:`.padEnd(16)}${String(v).padStart(8)} kB`)).join('\n') + '\n';
}

export function swapsText(swapMb: number): string {
  const head = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';
  return swapMb > 0 ? `${head}/swap.img                               file\t\t${swapMb * 1024 - 4}\t\t0\t\t-2\n` : head;
}

/**
 * The fake interface table the ip and kubeadm doubles read: one line per address,
 * `DEV FAMILY CIDR` (family inet or inet6). Empty list: the host's own address on eth0.
 */
export function interfacesText(cidrs: readonly string[], ownAddress: string): string {
  const list = cidrs.length > 0 ? cidrs : [`${ownAddress}/8`];
  return list
    .map((entry) => {
      const [dev, cidr] = entry.includes(' ') ? entry.trim().split(/\s+/, 2) as [string, string] : ['eth0', entry];
      const ip = cidr.split('/')[0] ?? '';
      const family = net.isIPv6(ip) ? 'inet6' : net.isIPv4(ip) ? 'inet' : undefined;
      if (!family || !/^\S+\/\d{1,3}$/.test(cidr) || !/^[a-z][a-z0-9.-]*$/.test(dev)) throw new Error(`interfaceAddresses: not "[dev] address/prefix": ${entry}`);
      return `${dev} ${family} ${cidr}\n`;
    })
    .join('');
}

function allowedCpus(): number[] {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? '0';
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a!; c <= (b ?? a!); c++) cpus.push(c);
  }
  return cpus;
}

function cpuinfoText(n: number): string {
  const blocks = fs.readFileSync('/proc/cpuinfo', 'utf8').trim().split(/\n\s*\n/);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = blocks[i % blocks.length] ?? `processor\t: ${i}`;
    out.push(b.replace(/^processor\t: \d+/m, `processor\t: ${i}`).replace(/^siblings\t: \d+/m, `siblings\t: ${n}`)
      .replace(/^cpu cores\t: \d+/m, `cpu cores\t: ${n}`).replace(/^(core id|apicid|initial apicid)\t*: \d+/gm, (_m, k: string) => `${k}\t: ${i}`));
  }
  return out.join('\n\n') + '\n\n';
}

function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

// ---------------------------------------------------------------- cleanup registry

const liveBeds = new Set<Bed>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const bed of liveBeds) bed.stopSync(); });
}

// Beds left behind by a crashed process (their namespaces die with it thanks to the holder's
// watchdog); remove their directories.
function sweepStaleBeds(): void {
  for (const entry of fs.readdirSync('/tmp')) {
    if (!entry.startsWith('hobbykube-hosts-') || entry === 'hobbykube-hosts-locks') continue;
    const dir = path.join('/tmp', entry);
    let owner = 0;
    try { owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8')); } catch { continue; }
    if (owner && !pidAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- one host

class Host implements TestHost {
  hostKeyFingerprint = '';
  hostKeyPublic = '';
  holderPid = 0;
  ns = '';
  sshd: ChildProcess | undefined; // nsenter; the listening sshd is its child
  listenerPid = 0;
  private listenerStart: string | undefined;
  private holderStart: string | undefined;
  holder: ChildProcess | undefined;
  exited: Promise<void> = Promise.resolve(); // the sshd child reaped (no zombie left behind)
  holderExited: Promise<void> = Promise.resolve(); // the unshare child reaped
  private faultSeq = 0;

  constructor(
    readonly name: string,
    readonly address: string,
    readonly port: number,
    readonly profile: Required<Omit<HostProfile, 'name' | 'port'>>,
    readonly dir: string,
    private readonly bedDir: string,
    private readonly cpuList: string,
  ) {}

  async prepare(authorizedKeys: string): Promise<void> {
    const d = this.dir;
    for (const sub of ['priv', 'fake', 'control', 'control/faults', 'control/urls']) fs.mkdirSync(path.join(d, sub), { recursive: true });
    fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(d, 'control/faults'), 0o777); // non-root doubles claim one-shot faults
    const p = this.profile;
    const w = (rel: string, text: string, mode = 0o644) => { fs.writeFileSync(path.join(d, rel), text); fs.chmodSync(path.join(d, rel), mode); };
    w('name', `${this.name}\n`);
    w('address', `${this.address}\n`);
    w('recordings.jsonl', '', 0o666);
    w('authorized_keys', authorizedKeys);
    w('fake/os-release', OS_RELEASE[p.os]);
    w('fake/meminfo', meminfoText(p.memTotalMb, p.memAvailableMb, p.swapMb));
    w('fake/swaps', swapsText(p.swapMb));
    w('fake/cpuinfo', cpuinfoText(p.cpus));
    w('fake/ip_forward', '0\n');
    w('fake/interfaces', interfacesText(p.interfaceAddresses, this.address));
    w('fake/missing-modules', p.missingModules.map((m) => `${m}\n`).join(''));
    w('fake/upstream-resolv.conf', `# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).\n${p.upstreamDns.map((s) => `nameserver ${s}`).join('\n')}\nsearch .\n`);
    const sftp = fs.existsSync('/usr/lib/openssh/sftp-server') ? '/usr/lib/openssh/sftp-server' : 'internal-sftp';
    w('sshd_config', [
      `ListenAddress ${this.address}:${this.port}`,
      'HostKey /run/hobbykube/host/ssh_host_ed25519_key',
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'AuthorizedKeysFile /run/hobbykube/host/authorized_keys .ssh/authorized_keys',
      'KbdInteractiveAuthentication no',
      'PrintMotd no',
      'PrintLastLog no',
      'AcceptEnv LANG LC_*',
      `Subsystem sftp ${sftp}`,
      '',
    ].join('\n'));
    await this.newHostKey();
  }

  private async newHostKey(): Promise<void> {
    const key = path.join(this.dir, 'ssh_host_ed25519_key');
    fs.rmSync(key, { force: true });
    fs.rmSync(`${key}.pub`, { force: true });
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${this.name}`, '-f', key]);
    this.hostKeyPublic = fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    this.hostKeyFingerprint = fingerprintOf(this.hostKeyPublic);
  }

  async startNamespace(): Promise<void> {
    const require = createRequire(import.meta.url);
    const yamlDir = path.dirname(require.resolve('yaml/package.json'));
    // A PID namespace too: killing its init (the holder) makes the kernel kill and reap every
    // process of the host, so nothing is left over (zombies included) whatever the order.
    const child = spawn('unshare', ['--mount', '--uts', '--pid', '--mount-proc', '--propagation', 'private', '--fork', '--', '/bin/bash', SETUP], {
      stdio: ['pipe', 'pipe', 'pipe'], // the holder runs until its stdin closes (stop, or our death)
      env: {
        PATH: NS_ROOT_PATH, HK_NAME: this.name, HK_ADDR: this.address, HK_HOSTDIR: this.dir, HK_BEDDIR: this.bedDir,
        HK_DOUBLES: DOUBLES, HK_YAML: yamlDir, HK_NODE: process.execPath,
        HK_RESOLVED_STUB: this.profile.resolvedStub ? '1' : '0',
        HK_CGROUP: this.profile.cgroup,
        HK_HELM: this.profile.helm === false ? '' : this.profile.helm,
        HK_TRAEFIK_CHART: this.profile.traefikChart === false ? '' : this.profile.traefikChart,
      },
    });
    let out = '';
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        if (out.includes('ready\n')) resolve();
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
      child.on('exit', (code) => reject(new Error(`namespace setup for ${this.name} exited ${code}: ${err}`)));
      child.on('error', reject);
    });
    child.removeAllListeners('exit');
    this.holderExited = new Promise<void>((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else child.once('exit', () => r()); });
    this.holder = child;
    this.holderPid = descendants(child.pid!)[0] ?? 0;
    if (!this.holderPid) throw new Error(`namespace holder for ${this.name} not found`);
    this.holderStart = procStart(this.holderPid);
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    this.ns = mountNs(this.holderPid) ?? '';
  }

  /** The command prefix that enters this host's namespaces with its CPU set. */
  private enter(...argv: string[]): string[] {
    return ['-t', String(this.holderPid), '-m', '-u', '-p', '--', 'taskset', '-c', this.cpuList, ...argv];
  }

  async startSshd(): Promise<void> {
    const log = fs.openSync(path.join(this.dir, 'sshd.log'), 'a');
    const child = spawn('nsenter', this.enter('/usr/sbin/sshd', '-D', '-e', '-f', '/run/hobbykube/host/sshd_config'), {
      stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: NS_ROOT_PATH },
    });
    this.sshd = child;
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd on ${this.name} did not start: ${err}`)), 120_000); // a bound for a hung start; a loaded machine is slow
      child.stderr!.setEncoding('utf8').on('data', (s: string) => {
        fs.writeSync(log, s);
        err += s;
        if (err.includes('Server listening on')) { clearTimeout(timer); resolve(); }
      });
      child.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`sshd on ${this.name} exited (${code ?? sig}): ${err}`)); });
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    child.removeAllListeners('exit');
    // Closed when stderr has delivered its last byte, not at 'exit' (which may come first): a
    // write to the closed descriptor threw EBADF, or landed in whatever file reused the number.
    child.stderr!.once('close', () => { try { fs.closeSync(log); } catch { /* */ } });
    this.listenerPid = descendants(child.pid!)[0] ?? 0;
    this.listenerStart = procStart(this.listenerPid);
    child.unref();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }

  recordings(): Recording[] {
    const text = fs.readFileSync(path.join(this.dir, 'recordings.jsonl'), 'utf8');
    return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Recording);
  }

  clearRecordings(): void {
    fs.truncateSync(path.join(this.dir, 'recordings.jsonl'), 0);
  }

  async rootExec(command: string, input?: string): Promise<ExecResult> {
    return run('nsenter', this.enter('/bin/bash', '-c', command), {
      input, env: { PATH: NS_ROOT_PATH, HOME: '/root', LANG: 'C.UTF-8', USER: 'root', LOGNAME: 'root' },
    });
  }

  signalSshd(sig: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.listenerPid;
    if (!pid || procStart(pid) !== this.listenerStart) return; // gone; its pid may be someone else's now
    const tree = [pid, ...descendants(pid)];
    for (const p of tree) killQuietly(p, sig);
    if (sig === 'SIGCONT') this.continueNsenter();
  }

  /**
   * nsenter (our child, the listener's parent outside the namespace) stops itself when its child
   * is stopped, and only a SIGCONT of its own wakes it. A stopped nsenter never reaps the dead
   * listener, so the namespace's init waits for it forever and the stopped nsenter outlives the
   * test run (issue 12). It may stop itself again just after a SIGCONT (it races with ours), so
   * whoever waits for it to exit keeps waking it (`untilNsenterExits`).
   */
  private continueNsenter(): void {
    const child = this.sshd;
    if (child?.pid && child.exitCode === null && child.signalCode === null) killQuietly(child.pid, 'SIGCONT');
  }

  /** Waits for the nsenter child to exit, waking it whenever it has stopped itself; false at the deadline. */
  async untilNsenterExits(ms: number): Promise<boolean> {
    const child = this.sshd;
    const gone = () => !child?.pid || child.exitCode !== null || child.signalCode !== null || isZombie(child.pid);
    const deadline = Date.now() + ms;
    while (!gone() && Date.now() < deadline) {
      if (procState(child!.pid!) === 'T') this.continueNsenter();
      await sleep(20);
    }
    return gone();
  }

  /** The same at process exit, where nothing can be awaited. */
  untilNsenterExitsSync(ms: number): void {
    const pid = this.sshd?.pid;
    const deadline = Date.now() + ms;
    while (pid && !isZombie(pid) && Date.now() < deadline) {
      if (procState(pid) === 'T') killQuietly(pid, 'SIGCONT');
      spawnSync('sleep', ['0.02']);
    }
  }

  private async stopListener(): Promise<void> {
    const child = this.sshd;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.continueNsenter();
    killIfSame(this.listenerPid, this.listenerStart, 'SIGCONT');
    killIfSame(this.listenerPid, this.listenerStart, 'SIGTERM'); // like a service restart: open sessions survive
    await this.untilNsenterExits(30_000); // returns at the exit; the bound only for a stuck one
    killIfSame(this.listenerPid, this.listenerStart, 'SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stopListener();
    await this.startSshd();
  }

  async regenerateHostKey(): Promise<void> {
    await this.newHostKey();
    await this.restart();
  }

  setDelay(ms: number, command?: string): void {
    const f = path.join(this.dir, 'control', command ? `delay.${command}` : 'delay');
    if (ms > 0) fs.writeFileSync(f, `${Math.round(ms)}\n`); else fs.rmSync(f, { force: true });
  }

  injectFault(fault: FaultSpec): void {
    const times = fault.times ?? 1;
    const text = `${fault.exitCode}\n${fault.match ?? ''}\n${times === 'always' ? 'always' : 'once'}\n${fault.stdout ?? ''}\n${fault.stderr ?? ''}`;
    const n = times === 'always' ? 1 : times;
    for (let i = 0; i < n; i++) {
      const f = path.join(this.dir, 'control/faults', `${String(++this.faultSeq).padStart(6, '0')}.${fault.command}`);
      fs.writeFileSync(f, text);
      fs.chmodSync(f, 0o666);
    }
  }

  clearControls(): void {
    const c = path.join(this.dir, 'control');
    for (const e of fs.readdirSync(c)) if (e.startsWith('delay') || e === 'clock-offset-ms') fs.rmSync(path.join(c, e));
    for (const sub of ['faults', 'urls']) for (const e of fs.readdirSync(path.join(c, sub))) fs.rmSync(path.join(c, sub, e), { force: true });
  }

  serveUrl(url: string, body: string | Buffer): void {
    const key = createHash('sha256').update(url).digest('hex');
    fs.writeFileSync(path.join(this.dir, 'control/urls', key), body);
  }

  setClockOffset(ms: number): void {
    const f = path.join(this.dir, 'control', 'clock-offset-ms');
    if (Math.round(ms) !== 0) fs.writeFileSync(f, `${Math.round(ms)}\n`); else fs.rmSync(f, { force: true });
  }

  setMemAvailable(mb: number): void {
    // Written in place: the file is bind-mounted over /proc/meminfo inside the host.
    const f = path.join(this.dir, 'fake', 'meminfo');
    const kb = Math.round(mb * 1024);
    const row = (key: string, value: number) => `${`${key}:`.padEnd(16)}${String(value).padStart(8)} kB`;
    const text = fs.readFileSync(f, 'utf8').split('\n')
      .map((l) => (l.startsWith('MemAvailable:') ? row('MemAvailable', kb) : l.startsWith('MemFree:') ? row('MemFree', Math.round(kb * 0.45)) : l))
      .join('\n');
    fs.writeFileSync(f, text);
  }

  async setDisk(disk: { totalMb: number; freeMb: number } | undefined): Promise<void> {
    // The private tmpfs holds every overlay's upper layer, and df /var reports it: resized, then
    // filled with a file of zeros (real bytes: tmpfs is memory, so keep totalMb small).
    const fill = '/run/hobbykube/priv/hk-disk-fill';
    const script = disk === undefined
      ? `rm -f ${fill}; mount -o remount,size=50% /run/hobbykube/priv`
      : `set -e; rm -f ${fill}; mount -o remount,size=${Math.round(disk.totalMb)}m /run/hobbykube/priv
         avail=$(df -Pk /run/hobbykube/priv | awk 'NR == 2 { print $4 }')
         bytes=$(( (avail - ${Math.round(disk.freeMb * 1024)}) * 1024 ))
         if [ "$bytes" -gt 0 ]; then head -c "$bytes" /dev/zero >${fill}; fi
         df -Pk /var | tail -n 1`;
    const r = await this.rootExec(script);
    if (r.code !== 0) throw new Error(`could not change the disk of ${this.name}: ${r.stderr}`);
  }


  /** Kills everything in this host's namespace; its mounts go with the namespace. */
  killAll(): void {
    if (!this.ns) return;
    this.exited = this.sshd && this.sshd.exitCode === null && this.sshd.signalCode === null
      ? new Promise<void>((r) => this.sshd!.once('exit', () => r())) : Promise.resolve();
    this.holder?.stdin?.destroy();
    this.continueNsenter();
    // Killing the PID namespace's init makes the kernel kill and reap everything inside; the
    // unshare and nsenter parents (our children) then exit and we reap them. Killing them
    // first would orphan zombies to a host PID 1 that may never reap them.
    killIfSame(this.holderPid, this.holderStart, 'SIGKILL');
  }

  /** Processes still in the namespace that are not our own children (those exit by themselves). */
  private strays(): number[] {
    const ours = new Set([this.holder?.pid, this.sshd?.pid]);
    return this.remaining().filter((p) => !ours.has(p));
  }

  killStrays(): void {
    for (const p of this.strays()) killQuietly(p, 'SIGKILL');
  }

  pids(): number[] {
    return this.remaining();
  }

  sshdPid(): number | undefined {
    return this.listenerPid || undefined;
  }

  /**
   * Processes still in this host's namespaces. Only while its PID namespace's init lives: once
   * that is gone the kernel has killed everything inside, and the namespace's inode number may
   * already name another test's host, whose processes must never be taken for ours.
   */
  remaining(): number[] {
    if (!this.ns || procStart(this.holderPid) !== this.holderStart) return [];
    return pidsInNs(this.ns);
  }
}

// ---------------------------------------------------------------- the bed

class Bed implements TestBed {
  hosts: Host[] = [];
  keyPath: string;
  passphraseKeyPath: string;
  passphrase = 'hkt passphrase 42';
  users = { ...TEST_USERS };
  knownHostsPath: string;
  startupMs = 0;
  private stopped = false;
  addresses: string[] = [];

  fakeRegistry(host: string, login: { username: string; token: string }): void {
    const dir = path.join(this.dir, 'shared', 'registries');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, `${host.toLowerCase()}.json`), JSON.stringify(login), { mode: 0o644 });
  }

  fakeImage(ref: string, info: FakeImage): void {
    const dir = path.join(this.dir, 'shared', 'images');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, `${createHash('sha256').update(ref).digest('hex')}.json`), JSON.stringify({ ref, ...info }), { mode: 0o644 });
  }

  constructor(readonly dir: string) {
    this.keyPath = path.join(dir, 'keys', 'id_ed25519');
    this.passphraseKeyPath = path.join(dir, 'keys', 'id_ed25519_passphrase');
    this.knownHostsPath = path.join(dir, 'known_hosts');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    for (const h of this.hosts) h.killAll();
    // Both return as soon as the processes are gone; the bounds only matter on a very loaded machine.
    await Promise.all(this.hosts.map((h) => h.untilNsenterExits(30_000)));
    await Promise.race([Promise.all(this.hosts.flatMap((h) => [h.exited, h.holderExited])), sleep(30_000)]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && this.hosts.some((h) => h.remaining().length > 0)) {
      for (const h of this.hosts) h.killStrays();
      await sleep(20);
    }
    this.finish();
  }

  stopSync(): void {
    if (this.stopped) return;
    // At process exit we cannot reap: kill the namespaces' inits; the kernel does the rest.
    for (const h of this.hosts) h.killAll();
    for (const h of this.hosts) h.untilNsenterExitsSync(10_000);
    const deadline = Date.now() + 10_000; // exits at once normally; a loaded machine may need longer
    while (Date.now() < deadline && this.hosts.some((h) => h.remaining().some((p) => !isZombie(p)))) {
      spawnSync('sleep', ['0.02']);
      for (const h of this.hosts) for (const p of h.remaining()) killQuietly(p, 'SIGKILL');
    }
    this.finish();
  }

  private finish(): void {
    this.stopped = true;
    liveBeds.delete(this);
    for (const a of this.addresses) unlockAddress(a);
    // Doubles of dying processes may still be writing their last recording: retry, and if the
    // directory is still busy leave it; its owner is gone, so the next startHosts sweeps it.
    try {
      fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    } catch {
      // swept later (sweepStaleBeds)
    }
  }
}

/**
 * What a freshly installed minimal Debian/Ubuntu VPS uses before anything else runs, as MemTotal -
 * MemAvailable: src/node-profile.ts's OS_MIB estimate (80 MiB, sources there) plus about 30 MiB of
 * kernel slab and buffers MemAvailable does not count back (a guess). It stays under preflight's
 * os-memory warning (OS_MIB + 40), as a fresh VPS should; tests that want a busy OS set memAvailableMb.
 */
export const FRESH_OS_MIB = 110;

function resolveProfile(p: HostProfile, cpusAvailable: number): Required<Omit<HostProfile, 'name' | 'port'>> {
  const os = p.os ?? 'ubuntu-24.04';
  const memTotalMb = p.memTotalMb ?? 1970;
  return {
    os,
    memTotalMb,
    memAvailableMb: p.memAvailableMb ?? memTotalMb - FRESH_OS_MIB,
    cpus: p.cpus ?? Math.min(2, cpusAvailable),
    resolvedStub: p.resolvedStub ?? os.startsWith('ubuntu'),
    upstreamDns: p.upstreamDns ?? ['203.0.113.53', '198.51.100.53'],
    swapMb: p.swapMb ?? 1024,
    cgroup: p.cgroup ?? 'v2',
    helm: p.helm ?? HELM_VERSION,
    traefikChart: p.traefikChart ?? TRAEFIK_CHART.version,
    interfaceAddresses: p.interfaceAddresses ?? [],
    missingModules: p.missingModules ?? [],
  };
}

/** Starts real sshd hosts. Always call stop() (afterAll); a process exit also cleans up. */
export async function startHosts(profiles: HostProfile[] | number): Promise<TestBed> {
  requireHarness();
  const t0 = performance.now();
  const list = typeof profiles === 'number' ? Array.from({ length: profiles }, (): HostProfile => ({})) : profiles;
  installExitHook();
  sweepStaleBeds();
  const cpus = allowedCpus();
  const dir = fs.mkdtempSync('/tmp/hobbykube-hosts-');
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const bed = new Bed(dir);
  liveBeds.add(bed);
  try {
    fs.mkdirSync(path.join(dir, 'keys'), { mode: 0o700 });
    fs.mkdirSync(path.join(dir, 'shared', 'clusters'), { recursive: true });
    fs.chmodSync(path.join(dir, 'shared'), 0o1777);
    fs.chmodSync(path.join(dir, 'shared', 'clusters'), 0o1777);
    const keys = Promise.all([
      runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hobbykube-test', '-f', bed.keyPath]),
      runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', bed.passphrase, '-C', 'hobbykube-test-passphrase', '-f', bed.passphraseKeyPath]),
    ]);
    const users = ensureUsers();
    const names = new Set<string>();
    for (const [i, p] of list.entries()) {
      const profile = resolveProfile(p, cpus.length);
      if (profile.cpus < 1 || profile.cpus > cpus.length) throw new Error(`profile asks for ${profile.cpus} CPUs; this machine lets us use ${cpus.length}`);
      const name = p.name ?? `h${i + 1}`;
      if (names.has(name)) throw new Error(`duplicate host name ${name}`);
      names.add(name);
      const port = p.port ?? 22;
      const address = await allocateAddress(port);
      bed.addresses.push(address);
      bed.hosts.push(new Host(name, address, port, profile, path.join(dir, 'hosts', name), dir, cpus.slice(0, profile.cpus).join(',')));
    }
    await keys;
    const authorized = `${fs.readFileSync(`${bed.keyPath}.pub`, 'utf8')}${fs.readFileSync(`${bed.passphraseKeyPath}.pub`, 'utf8')}`;
    await Promise.all(bed.hosts.map((h) => h.prepare(authorized)));
    await users;
    await Promise.all(bed.hosts.map(async (h) => { await h.startNamespace(); await h.startSshd(); }));
    fs.writeFileSync(bed.knownHostsPath, bed.hosts.map((h) => {
      const addr = h.port === 22 ? h.address : `[${h.address}]:${h.port}`;
      return `${addr} ${h.hostKeyPublic}\n`;
    }).join(''));
    bed.startupMs = Math.round(performance.now() - t0);
    return bed;
  } catch (e) {
    await bed.stop();
    throw e;
  }
}
