// Runs every check at once, each under its own time limit, and tells a listener as each starts
// and ends. A check that throws (a source it needs failed) or runs out of time ends as
// "unknown" with the reason: it never passes silently.
import { withTimeout } from './sources.js';
import { message, SourceError, statusOf, type CheckDefinition, type CheckResult } from './types.js';

export type CheckListener = (result: CheckResult) => void;

export function pendingResult(check: CheckDefinition): CheckResult {
  return { id: check.id, area: check.area, ...(check.node ? { node: check.node } : {}), title: check.title, status: 'pending', summary: '', findings: [] };
}

export async function runChecks(checks: readonly CheckDefinition[], listener: CheckListener = () => {}, now: () => number = Date.now): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      const startedAt = now();
      listener({ ...pendingResult(check), status: 'running', startedAt });
      let result: CheckResult;
      try {
        const outcome = await withTimeout(check.run(), check.timeoutMs, `the check "${check.title}"${check.node ? ` on ${check.node}` : ''}`);
        result = { ...pendingResult(check), status: statusOf(outcome.findings), summary: outcome.summary, findings: outcome.findings, startedAt, durationMs: now() - startedAt };
      } catch (error) {
        const fix = error instanceof SourceError ? error.fix : undefined;
        const why = message(error);
        result = {
          ...pendingResult(check),
          status: 'unknown',
          summary: `not checked: ${why}`,
          findings: [{ severity: 'unknown', title: `could not check: ${why}`, evidence: [], ...(fix ? { fix } : {}) }],
          startedAt,
          durationMs: now() - startedAt,
        };
      }
      listener(result);
      return result;
    }),
  );
}
