// A small network of Linux network namespaces for firewall tests, built and torn down by the test
// itself (root, iproute2 and nftables; see requires.ts netnsMissing). Every address exists only
// inside these namespaces (10.77.0.0/24, 192.168.77.0/24, fd77::/64): nothing touches the
// machine's own network.
//
//   node ─┐                        (the node whose firewall is under test: 10.77.0.1, fd77::1)
//   peer ─┤ bridge in "sw"         (another node: 10.77.0.2)
//   out  ─┤ 10.77.0.0/24           (an outsider on the internet: 10.77.0.3, fd77::3)
//   gw   ─┘ 10.77.0.4 ── natpeer   (a NAT'd node: 192.168.77.2 behind gw, which masquerades its
//                                   traffic to gw's 10.77.0.4, as a provider's NAT does)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killGroup, track } from './children.js';

const PEER = fileURLToPath(new URL('./netns-peer.cjs', import.meta.url));

export const LAB = {
  node: '10.77.0.1',
  node6: 'fd77::1',
  peer: '10.77.0.2',
  outsider: '10.77.0.3',
  outsider6: 'fd77::3',
  natPublic: '10.77.0.4',
  natPrivate: '192.168.77.2',
} as const;

export type Role = 'sw' | 'node' | 'peer' | 'out' | 'gw' | 'natpeer';

export interface Lab {
  ns(role: Role): string;
  /** Runs a command as root inside a namespace; throws with its output when it fails. */
  exec(role: Role, argv: string[], input?: string): string;
  /** Like exec, without throwing: the exit code and output. */
  run(role: Role, argv: string[], input?: string): { code: number; stdout: string; stderr: string };
  /** Starts the listeners in the node's namespace; resolves once they listen. */
  serve(specs: string[]): Promise<void>;
  /** What `from` gets on each port of `address` ("open" / "blocked" / "refused"). */
  probe(from: Role, address: string, specs: string[]): Promise<Record<string, string>>;
  destroy(): void;
}

function sh(argv: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function must(argv: string[], input?: string): string {
  const r = sh(argv, input);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function createLab(): Lab {
  const prefix = `hkfw${process.pid}`;
  const roles: Role[] = ['sw', 'node', 'peer', 'out', 'gw', 'natpeer'];
  const name = (role: Role) => `${prefix}-${role}`;
  const children: ChildProcess[] = [];
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const child of children) killGroup(child.pid);
    // Deleting a namespace deletes its interfaces and everything loaded in it (nftables too).
    for (const role of roles) sh(['ip', 'netns', 'delete', name(role)]);
  };
  const forget = track(destroy);
  const exec = (role: Role, argv: string[], input?: string) => must(['ip', 'netns', 'exec', name(role), ...argv], input);
  try {
    for (const role of roles) {
      sh(['ip', 'netns', 'delete', name(role)]); // a leftover of a crashed run with this pid
      must(['ip', 'netns', 'add', name(role)]);
      exec(role, ['ip', 'link', 'set', 'lo', 'up']);
    }
    exec('sw', ['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    exec('sw', ['ip', 'link', 'set', 'br0', 'up']);
    const wire = (role: Role, address: string, address6?: string) => {
      // Created inside the namespaces directly: no interface name ever exists on the machine itself.
      must(['ip', 'link', 'add', 'eth0', 'netns', name(role), 'type', 'veth', 'peer', 'name', `p-${role}`, 'netns', name('sw')]);
      exec('sw', ['ip', 'link', 'set', `p-${role}`, 'master', 'br0']);
      exec('sw', ['ip', 'link', 'set', `p-${role}`, 'up']);
      exec(role, ['ip', 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      if (address6) exec(role, ['ip', '-6', 'addr', 'add', `${address6}/64`, 'dev', 'eth0', 'nodad']);
      exec(role, ['ip', 'link', 'set', 'eth0', 'up']);
    };
    wire('node', LAB.node, LAB.node6);
    wire('peer', LAB.peer);
    wire('out', LAB.outsider, LAB.outsider6);
    wire('gw', LAB.natPublic);
    // natpeer behind gw: a private link, gw forwards and masquerades to its public address.
    must(['ip', 'link', 'add', 'eth0', 'netns', name('natpeer'), 'type', 'veth', 'peer', 'name', 'eth1', 'netns', name('gw')]);
    exec('gw', ['ip', 'addr', 'add', '192.168.77.1/24', 'dev', 'eth1']);
    exec('gw', ['ip', 'link', 'set', 'eth1', 'up']);
    exec('gw', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    exec('gw', ['nft', '-f', '-'], 'table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\toifname "eth0" masquerade\n\t}\n}\n');
    exec('natpeer', ['ip', 'addr', 'add', `${LAB.natPrivate}/24`, 'dev', 'eth0']);
    exec('natpeer', ['ip', 'link', 'set', 'eth0', 'up']);
    exec('natpeer', ['ip', 'route', 'add', 'default', 'via', '192.168.77.1']);
  } catch (error) {
    destroy();
    forget();
    throw error;
  }
  return {
    ns: name,
    exec,
    run: (role, argv, input) => sh(['ip', 'netns', 'exec', name(role), ...argv], input),
    serve(specs) {
      return new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', name('node'), process.execPath, PEER, 'serve', ...specs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        children.push(child);
        let out = '';
        let err = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('ready\n')) resolve();
        });
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.once('exit', (code) => reject(new Error(`listeners in the node namespace exited (${code}): ${err}`)));
      });
    },
    probe(from, address, specs) {
      return new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', name(from), process.execPath, PEER, 'probe', address, ...specs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        const untrack = track(() => killGroup(child.pid));
        let out = '';
        let err = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.once('exit', (code) => {
          untrack();
          if (code !== 0) reject(new Error(`probe from ${from} exited ${code}: ${err}`));
          else resolve(JSON.parse(out) as Record<string, string>);
        });
      });
    },
    destroy() {
      destroy();
      forget();
    },
  };
}
