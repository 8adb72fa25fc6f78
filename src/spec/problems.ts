// A problem found in a spec: which field, what was there, what would be accepted, and where.

export interface Problem {
  /** Field path such as spec.nodes[1].address. */
  path: string;
  /** The whole sentence after the path, e.g. 'got "x", expected a port number from 1 to 65535'. */
  message: string;
  line?: number;
  column?: number;
}

const MAX_SHOWN = 60;

/** A value as a person should see it in a message: quoted, control characters escaped, bounded. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value})`;
  if (typeof value === 'string') {
    const text = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

export function formatProblem(problem: Problem, file?: string): string {
  const where =
    problem.line !== undefined
      ? `${file ?? 'spec'}:${problem.line}:${problem.column ?? 1}: `
      : file !== undefined
        ? `${file}: `
        : '';
  // A key at the top of the file has no field path of its own: say where it is instead of ": ".
  return `${where}${problem.path || '(top level)'}: ${problem.message}`;
}

export class SpecError extends Error {
  constructor(
    readonly problems: Problem[],
    readonly file?: string,
  ) {
    super(problems.map((p) => formatProblem(p, file)).join('\n'));
    this.name = 'SpecError';
  }
}
