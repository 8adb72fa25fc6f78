// How the command line tells an expected failure from a bug, and its own usage error. The exit
// codes and CommandError live in src/exit.ts (the phases throw it too); re-exported here.
import { fileReason } from '../state/files.js';

export { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT_CLOSED, EXIT_USAGE } from '../exit.js';

/**
 * Errors hobbykube raises for things outside its control, whose message is the whole story
 * (it names the node, the file or the step, and the cause): printed as one `error:` line.
 */
const OWN_ERRORS = new Set(['SshError', 'FactsError', 'MissingSecretsError', 'KubeconfigError', 'ClusterQueryError', 'LockHeld', 'StepFailure', 'FileError']);

/** The message for an expected failure, or undefined for a bug (shown with its stack). */
export function expectedFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (OWN_ERRORS.has(error.name)) return error.message;
  const e = error as NodeJS.ErrnoException;
  // A file system error about a path: name the path and the cause, no stack.
  if (typeof e.code === 'string' && typeof e.syscall === 'string' && typeof e.path === 'string') {
    return `${e.path}: ${fileReason(e)}`;
  }
  return undefined;
}

/** The command line itself is wrong: the message says what would be accepted. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
