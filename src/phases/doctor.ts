// `doctor` as a flow: open the session, run every check (the live view watching, when the command
// layer gives one), report (text or JSON) with the exit code. No lock, no plan, no confirmation:
// doctor changes nothing on the nodes.
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from '../exit.js';
import { allChecks } from '../doctor/checks/index.js';
import type { Outside } from '../doctor/outside.js';
import { formatReport, healthy, jsonReport } from '../doctor/report.js';
import { runChecks } from '../doctor/run.js';
import { Sources } from '../doctor/sources.js';
import { createDoctorStore, type DoctorStore } from '../doctor/state.js';
import type { CheckResult } from '../doctor/types.js';
import type { FlowState } from './flow.js';
import { openSession } from './open-session.js';
import { need, type Phase } from './phase.js';

/** The live view, as the command layer mounts it: it resolves `quit` on q / Ctrl-C, and `close` lets go of the terminal. */
export interface DoctorWatch {
  readonly quit: Promise<void>;
  close(): Promise<void>;
}

export interface DoctorState extends FlowState {
  doctor: {
    /** What this computer sees of the domains (the command layer: the network, with --resolver). */
    outside: Outside;
    /** text: the report for a terminal or a file; json: one JSON document. */
    format: 'text' | 'json';
    /** Wrap the report at this many columns (a terminal). */
    width?: number;
    /** The live view (a terminal), or none. */
    watch?: (store: DoctorStore) => Promise<DoctorWatch>;
  };
  results?: CheckResult[];
  startedAt?: number;
}

const runDoctorChecks: Phase<DoctorState> = {
  title: 'run the checks',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const sources = new Sources({ spec: state.spec, host: (n) => session.host(n), outside: state.doctor.outside });
    const checks = allChecks({ sources, paths: session.paths, redact: (t) => session.redactor.redact(t), now: Date.now });
    const store = createDoctorStore({ cluster: state.spec.metadata.name, nodes: state.spec.spec.nodes.map((n) => ({ name: n.name, role: n.role })), checks });
    state.startedAt = store.getState().startedAt;
    const watch = await state.doctor.watch?.(store);
    const running = runChecks(checks, store.update);
    const outcome = watch ? await Promise.race([running, watch.quit.then(() => 'quit' as const)]) : await running;
    if (outcome !== 'quit') store.finish();
    await watch?.close();
    if (outcome === 'quit') {
      state.operator.err.write('doctor stopped before all checks finished; nothing was changed.\n');
      state.exitCode = EXIT_INTERRUPTED;
      return;
    }
    state.results = outcome;
  },
};

const reportDoctor: Phase<DoctorState> = {
  title: 'report',
  run(state) {
    const results = need(state.results, 'the checks\' results', this.title);
    const header = { cluster: state.spec.metadata.name, startedAt: state.startedAt ?? Date.now(), durationMs: Date.now() - (state.startedAt ?? Date.now()) };
    const nodes = state.spec.spec.nodes.map((n) => ({ name: n.name, role: n.role }));
    const { out, style } = state.operator;
    if (state.doctor.format === 'json') state.operator.data.write(`${JSON.stringify(jsonReport(header, results, nodes), null, 2)}\n`);
    else out.write(`${formatReport(header, results, nodes, style, state.doctor.width).join('\n')}\n`);
    state.exitCode = healthy(results) ? EXIT_OK : EXIT_FAILURE;
  },
};

export const DOCTOR_PHASES: ReadonlyArray<Phase<DoctorState>> = [openSession, runDoctorChecks, reportDoctor];
