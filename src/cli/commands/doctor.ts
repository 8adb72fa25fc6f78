// `hobbykube doctor [--json] [--resolver IP[:PORT]] [--yes]`: read-only checks over SSH, the API
// and from this computer, all at once, each with a time limit; findings with evidence and fix.
//
// - In a terminal: the live view (src/doctor/live.ts, screens/doctor) while the checks run, then
//   the full report. Elsewhere: the report as plain text. --json: one JSON document.
// - Exit 0 when every check passed, 1 when anything was found or could not be checked.
// - Never asks: a new host key is pinned only with --yes (and then printed), secrets come from the
//   environment (HOBBYKUBE_SUDO_PASSWORD, HOBBYKUBE_KEY_PASSPHRASE); otherwise that node's checks
//   say why they could not run.
import { isIP } from 'node:net';
import { allChecks } from '../../doctor/checks/index.js';
import { realOutside } from '../../doctor/outside.js';
import { formatReport, healthy, jsonReport } from '../../doctor/report.js';
import { runChecks } from '../../doctor/run.js';
import { LIMITS, Sources } from '../../doctor/sources.js';
import { createDoctorStore } from '../../doctor/state.js';
import { loadSpec } from '../../spec/file.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import { openSession } from '../session.js';
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
  // Notes of the asker (a host key pinned with --yes) wait until the live view is gone.
  const notes: string[] = [];
  const noteOutput: Output = { write: (text) => void notes.push(text), isTTY: false };
  const session = openSession(context, spec, { interactive: false, stderr: live ? noteOutput : context.stderr, readyTimeoutMs: LIMITS.connect });
  const sources = new Sources({ spec, host: (n) => session.host(n), outside: realOutside(resolver ? { resolver } : {}) });
  const checks = allChecks({ sources, paths: session.paths, redact: (t) => session.redactor.redact(t), now: Date.now });
  const nodes = spec.spec.nodes.map((n) => ({ name: n.name, role: n.role }));
  const store = createDoctorStore({ cluster: spec.metadata.name, nodes, checks });
  const startedAt = store.getState().startedAt;
  try {
    if (!live) {
      const results = await runChecks(checks, store.update);
      const header = { cluster: spec.metadata.name, startedAt, durationMs: Date.now() - startedAt };
      if (json) context.stdout.write(`${JSON.stringify(jsonReport(header, results, nodes), null, 2)}\n`);
      else context.stdout.write(`${formatReport(header, results, nodes, context.style).join('\n')}\n`);
      return healthy(results) ? EXIT_OK : EXIT_FAILURE;
    }
    const { mountDoctorView } = await import('../../../screens/doctor/index.js');
    let quit!: () => void;
    const quitting = new Promise<'quit'>((resolve) => (quit = () => resolve('quit')));
    const view = mountDoctorView(store, { onQuit: () => quit() });
    const onSigint = () => quit();
    process.on('SIGINT', onSigint);
    const running = runChecks(checks, store.update);
    const outcome = await Promise.race([running, quitting]);
    process.off('SIGINT', onSigint);
    if (outcome !== 'quit') store.finish();
    await view.unmount();
    for (const n of notes) context.stderr.write(n);
    if (outcome === 'quit') {
      context.stderr.write('doctor stopped before all checks finished; nothing was changed.\n');
      return EXIT_INTERRUPTED;
    }
    const header = { cluster: spec.metadata.name, startedAt, durationMs: Date.now() - startedAt };
    context.stdout.write(`${formatReport(header, outcome, nodes, context.style, process.stdout.columns || 80).join('\n')}\n`);
    return healthy(outcome) ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await session.close();
  }
}
