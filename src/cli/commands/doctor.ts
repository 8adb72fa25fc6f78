// `hobbykube doctor [--json] [--resolver IP[:PORT]] [--yes]`: read-only checks over SSH, the API
// and from this computer, all at once, each with a time limit; findings with evidence and fix.
// The flow is src/phases/doctor.ts; this file makes the command layer's choices for it.
//
// - In a terminal: the live view (src/doctor/live.ts, screens/doctor) while the checks run, then
//   the full report. Elsewhere: the report as plain text. --json: one JSON document.
// - Exit 0 when every check passed, 1 when anything was found or could not be checked.
// - Never asks: a new host key is pinned only with --yes (and then printed), secrets come from the
//   environment (HOBBYKUBE_SUDO_PASSWORD, HOBBYKUBE_KEY_PASSPHRASE); otherwise that node's checks
//   say why they could not run.
import { isIP } from 'node:net';
import { realOutside } from '../../doctor/outside.js';
import { LIMITS } from '../../doctor/sources.js';
import type { DoctorStore } from '../../doctor/state.js';
import { DOCTOR_PHASES, type DoctorState, type DoctorWatch } from '../../phases/doctor.js';
import { runPhases } from '../../phases/phase.js';
import { loadSpec } from '../../spec/file.js';
import { UsageError } from '../errors.js';
import { openSession } from '../session.js';
import { flowBase, linesOnly } from '../wiring.js';
import type { Context, Output } from '../context.js';

/** `--resolver`: an IP address, optionally with a port (1.1.1.1, 127.0.0.1:5353, [2606:4700::1111]:53). */
export function resolverOption(value: string | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  const text = String(value);
  let ip = text;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) [, ip = '', port] = bracketed;
  else if (isIP(text) === 0) {
    const m = /^([\d.]+):(\d+)$/.exec(text);
    if (m) [, ip = '', port] = m;
  }
  const family = isIP(ip);
  const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  if (family === 0 || !portOk || (bracketed !== null && family !== 6)) {
    throw new UsageError(`--resolver: got ${JSON.stringify(text)}, expected the IP address of a DNS server, optionally with a port (1.1.1.1, 127.0.0.1:5353, [2606:4700::1111]:53)`, 'doctor');
  }
  return text;
}

export async function run(context: Context): Promise<number> {
  const resolver = resolverOption(context.options.resolver);
  const json = context.options.json === true;
  const spec = loadSpec(context.specPath);
  const live = !json && context.stdout.isTTY;
  // The asker's notes (a host key pinned with --yes) wait until the live view has let go.
  const notes: string[] = [];
  const noteOutput: Output = { write: (text) => void notes.push(text), isTTY: false };
  const state: DoctorState = {
    ...flowBase(context, spec, 'doctor', linesOnly(context)),
    // Never asks: host keys only with --yes, secrets only from the environment (nothing may interrupt the live view).
    openSession: (s) => openSession(context, s, { interactive: false, stderr: live ? noteOutput : context.stderr, readyTimeoutMs: LIMITS.connect }),
    nodes: spec.spec.nodes,
    doctor: {
      outside: realOutside(resolver ? { resolver } : {}),
      format: json ? 'json' : 'text',
      ...(live ? { width: process.stdout.columns || 80, watch: watchLive } : {}),
    },
  };
  try {
    return await runPhases(DOCTOR_PHASES, state);
  } finally {
    for (const n of notes) context.stderr.write(n);
  }
}

/** The live view in this terminal; q, Esc, Ctrl-C (or SIGINT) quit. */
async function watchLive(store: DoctorStore): Promise<DoctorWatch> {
  const { mountDoctorView } = await import('../../../screens/doctor/index.js');
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const view = mountDoctorView(store, { onQuit: () => quit() });
  const onSigint = () => quit();
  process.on('SIGINT', onSigint);
  return {
    quit: quitting,
    async close() {
      process.off('SIGINT', onSigint);
      await view.unmount();
    },
  };
}
