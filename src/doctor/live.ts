// What the live view shows while the checks run, decided here (screens/doctor only draws): a
// header with the count so far, then the groups (nodes, the cluster) worst first; a group whose
// checks all passed is one line, others list their findings and running checks by area. When
// the lines do not fit the terminal, the rest is counted in a last line (the full report is
// printed when the run ends).
import { AREA_TITLES, type CheckStatus } from './types.js';
import { countFindings, groupResults } from './report.js';
import type { DoctorState } from './state.js';

export type LiveKind = 'header' | 'group' | 'check' | 'fix' | 'passed' | 'more';

export interface LiveLine {
  kind: LiveKind;
  /** Drives the symbol and colour; undefined for plain text. */
  status?: CheckStatus;
  indent: number;
  text: string;
}

export function liveLines(state: DoctorState, rows: number, now: number): LiveLine[] {
  const total = state.results.length;
  const finished = state.results.filter((r) => r.status !== 'running' && r.status !== 'pending').length;
  const f = countFindings(state.results);
  const counts = [f.critical > 0 ? `${f.critical} critical` : '', f.warning > 0 ? `${f.warning} warning${f.warning === 1 ? '' : 's'}` : '', f.unknown > 0 ? `${f.unknown} not checked` : ''].filter(Boolean).join(', ');
  const elapsed = ((state.finishedAt ?? now) - state.startedAt) / 1000;
  const header: LiveLine = {
    kind: 'header',
    indent: 0,
    text: `doctor: ${state.cluster} · ${finished}/${total} checks done${counts ? ` · ${counts}` : ''} · ${elapsed.toFixed(1)} s${state.done ? '' : ' · q stops'}`,
  };
  const body: LiveLine[] = [];
  for (const g of groupResults(state.results, state.nodes)) {
    const all = g.areas.flatMap((a) => a.checks);
    const passed = all.filter((c) => c.status === 'ok').length;
    const waiting = all.filter((c) => c.status === 'pending').length;
    if (passed === all.length) {
      body.push({ kind: 'group', status: 'ok', indent: 0, text: `${g.title}: ${passed} passed` });
      continue;
    }
    body.push({ kind: 'group', status: g.status, indent: 0, text: g.title });
    const running = all.filter((c) => c.status === 'running');
    if (running.length > 0) body.push({ kind: 'check', status: 'running', indent: 2, text: `checking ${running.map((c) => c.title).join(', ')}` });
    for (const a of g.areas) {
      for (const c of a.checks) {
        const where = `${AREA_TITLES[a.area]} › ${c.title}`;
        if (c.status !== 'ok' && c.status !== 'pending' && c.status !== 'running') {
          for (const finding of c.findings) {
            body.push({ kind: 'check', status: finding.severity, indent: 2, text: `${where}: ${finding.title}` });
            if (finding.fix) body.push({ kind: 'fix', indent: 6, text: `fix: ${finding.fix}` });
          }
        }
      }
    }
    const tail = [passed > 0 ? `${passed} passed` : '', waiting > 0 ? `${waiting} waiting` : ''].filter(Boolean).join(', ');
    if (tail) body.push({ kind: 'passed', status: passed > 0 ? 'ok' : 'pending', indent: 2, text: tail });
  }
  const room = Math.max(1, rows - 2);
  if (body.length <= room) return [header, ...body];
  const shown = body.slice(0, room - 1);
  return [header, ...shown, { kind: 'more', indent: 0, text: `… ${body.length - shown.length} more lines; the full report follows when the checks are done` }];
}
