// Reads a node's facts in one command: the gather script, as root, then the parser.

import type { Host } from '../ssh/types.js';
import { GATHER_SCRIPT } from './gather-script.js';
import { looksLikeFacts, parseFacts } from './parse.js';
import type { NodeFacts } from './types.js';

/** Generous: the probe itself takes well under a second; version commands are capped at 10 s each. */
export const GATHER_TIMEOUT_MS = 60_000;

export class FactsError extends Error {
  constructor(
    readonly node: string,
    message: string,
    readonly stderr: string,
  ) {
    super(`${node}: ${message}`);
    this.name = 'FactsError';
  }
}

/**
 * Runs the gather script once (sudo) and parses its output. Clock skew is the node's clock minus
 * this computer's: the midpoint of the node's two clock readings against the midpoint of the round
 * trip, which cancels the probe's own run time and assumes the network delay is symmetric.
 * `now` is this computer's clock in ms (injectable for tests).
 */
export async function gatherFacts(host: Host, now: () => number = Date.now): Promise<NodeFacts> {
  const sentMs = now();
  const result = await host.run(GATHER_SCRIPT, { sudo: true, timeoutMs: GATHER_TIMEOUT_MS });
  const receivedMs = now();

  if (!looksLikeFacts(result.stdout)) {
    const detail = lastLine(result.stderr) ?? `exit status ${result.code}`;
    throw new FactsError(host.node, `could not read the node's facts: ${detail}`, result.stderr);
  }
  const facts = parseFacts(result.stdout);
  facts.clock.skewMs = skewOf(facts, sentMs, receivedMs);
  return facts;
}

/** Node clock minus local clock in ms, or undefined when the node printed no usable clock. */
export function skewOf(facts: NodeFacts, sentMs: number, receivedMs: number): number | undefined {
  const { remoteStartMs, remoteEndMs } = facts.clock;
  const remote =
    remoteStartMs !== undefined && remoteEndMs !== undefined
      ? (remoteStartMs + remoteEndMs) / 2
      : (remoteEndMs ?? remoteStartMs);
  if (remote === undefined) return undefined;
  return Math.round(remote - (sentMs + receivedMs) / 2);
}

function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1];
}
