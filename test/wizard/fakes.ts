// Test doubles for the wizard: a prober that asks the host-key question like the real transport
// and answers with fixed facts, and a scripted set of plain-mode prompts.
import { SshError } from '../../src/ssh/types.js';
import type { Prober } from '../../src/wizard/probe.js';
import type { Prompts } from '../../src/wizard/plain.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { healthyFacts } from '../facts/helpers.js';

export const FINGERPRINT = 'SHA256:q8Zk1xR4QpLhVf6Y0y8mJc3nWbTt2aQe9sKdU7oPzXw';

/** Facts per address: .10 is a healthy 2 GB control plane with a systemd stub, .11 a 970 MB/2 CPU machine, .12 a 480 MB worker. */
export function factsFor(address: string): NodeFacts {
  const stub = { resolver: 'systemd-stub' as const, resolvConf: 'present' as const, nameservers: ['127.0.0.53'], upstream: ['203.0.113.53', '198.51.100.53'] };
  // Each machine's address is on its own interface (no NAT), as on most VPSes.
  const addresses = { source: 'ip' as const, interfaces: [{ device: 'eth0', address, prefix: 24, family: 4 as const }], defaultDevice: 'eth0' };
  // MemAvailable as a fresh VPS leaves it: ~90 MiB used by the operating system (docs/SMALL-NODES.md).
  if (address.endsWith('.11')) return healthyFacts({ memory: { totalMiB: 970, availableMiB: 880, freeMiB: 500 }, dns: stub, addresses });
  if (address.endsWith('.12')) return healthyFacts({ cpus: 1, memory: { totalMiB: 480, availableMiB: 390, freeMiB: 200 }, dns: stub, addresses });
  return healthyFacts({ dns: stub, addresses });
}

export function fakeProber(calls: string[] = []): Prober {
  const pinned = new Set<string>();
  return async (node, asker) => {
    calls.push(node.address);
    if (!pinned.has(node.address)) {
      const ok = await asker.confirmHostKey(node.name, node.address, FINGERPRINT, 'ssh-ed25519');
      if (!ok) throw new SshError(node.name, 'host-key-rejected', 'host key rejected; nothing was run');
      pinned.add(node.address);
    }
    return factsFor(node.address);
  };
}

/**
 * Plain-mode prompts that answer from a script: each entry answers the next prompt whose message
 * contains `match`. Every typed answer goes through the prompt's own validate, as inquirer would.
 */
export type ScriptStep = { match: string; answer: string | boolean };

export function scriptedPrompts(script: ScriptStep[], log: string[] = []): Prompts {
  const queue = [...script];
  const next = (message: string) => {
    const step = queue.shift();
    log.push(message);
    if (!step) throw new Error(`no scripted answer for prompt: ${message}`);
    if (!message.includes(step.match)) throw new Error(`prompt "${message}" came, but the script expected "${step.match}"`);
    return step.answer;
  };
  const typed = (o: { message: string; default?: string; validate?: (v: string) => boolean | string }) => {
    let answer = String(next(o.message));
    if (answer === '' && o.default !== undefined) answer = o.default;
    const verdict = o.validate?.(answer) ?? true;
    if (verdict !== true) throw new Error(`scripted answer "${answer}" for "${o.message}" is invalid: ${verdict}`);
    return Promise.resolve(answer);
  };
  return {
    input: typed,
    password: (o) => typed(o),
    select: (o) => {
      const answer = String(next(o.message));
      if (!o.choices.some((c) => c.value === answer)) throw new Error(`"${answer}" is not a choice of "${o.message}": ${o.choices.map((c) => c.value).join(', ')}`);
      return Promise.resolve(answer as never);
    },
    confirm: (o) => Promise.resolve(Boolean(next(o.message))),
  };
}

export function remaining(script: ScriptStep[]): number {
  return script.length;
}
