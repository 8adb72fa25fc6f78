// Exit codes (README, --help) and the error that carries one, shared by the phases and the command
// line, which prints it as one `error:` line: 0 ok, 1 failure, 2 usage error or invalid spec, 130
// interrupted (Ctrl-C), 141 the output was closed early (`hobbykube plan | head`), as a shell
// reports SIGPIPE.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
export const EXIT_OUTPUT_CLOSED = 141;

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
