import { fileReason } from '../state/files.js';

// Exit codes (README, --help): 0 ok, 1 failure, 2 usage error or invalid spec, 130 interrupted
// (Ctrl-C), 141 the output was closed early (`hobbykube plan | head`), as a shell reports SIGPIPE.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
export const EXIT_OUTPUT_CLOSED = 141;

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

/** The command ran and failed; the message is the whole explanation (no stack trace). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
