// The hobbykube command line: parse, dispatch, and turn every error into a clear message and
// an exit code (0 ok, 1 failure, 2 usage or invalid spec). No stack traces for expected errors.
import pkg from '../../package.json' with { type: 'json' };
import { SpecError, formatProblem } from '../spec/problems.js';
import { SpecFileMissing, DEFAULT_SPEC_FILE } from '../spec/file.js';
import { CommandError, EXIT_FAILURE, EXIT_OUTPUT_CLOSED, EXIT_USAGE, UsageError, expectedFailure } from './errors.js';
import { commandHelp, mainHelp } from './help.js';
import { parseCommandLine } from './parse.js';
import { colorEnabled, makeStyle } from '../text/style.js';
import type { Context, Output } from './context.js';
import { proseOutput } from './prose.js';

export interface Io {
  argv: string[];
  stdout: Output;
  stderr: Output;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export async function main(io: Io): Promise<number> {
  const style = makeStyle(colorEnabled(io.stderr, io.env));
  try {
    const parsed = parseCommandLine(io.argv);
    if (parsed.kind === 'version') {
      io.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.command ? commandHelp(parsed.command) : mainHelp(pkg.version));
      return 0;
    }
    const context: Context = {
      command: parsed.command.name,
      options: parsed.options,
      positionals: parsed.positionals,
      rest: parsed.rest,
      specPath: typeof parsed.options.file === 'string' ? parsed.options.file : DEFAULT_SPEC_FILE,
      assumeYes: parsed.options.yes === true,
      stdout: io.stdout,
      stderr: io.stderr,
      stdinIsTTY: io.stdinIsTTY,
      style: makeStyle(colorEnabled(io.stdout, io.env)),
      env: io.env,
    };
    return await parsed.command.run(context);
  } catch (error) {
    const stderr = proseOutput(io.stderr);
    if (error instanceof UsageError) {
      stderr.write(`${style.red('error:')} ${error.message}\n`);
      stderr.write(`Run \`hobbykube ${error.command && error.command !== 'wizard' ? `${error.command} ` : ''}--help\` for the options.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof SpecError) {
      const count = error.problems.length;
      stderr.write(`${style.red('error:')} ${error.file ?? 'the spec'} has ${count} problem${count === 1 ? '' : 's'}:\n`);
      for (const problem of error.problems) stderr.write(`  ${formatProblem(problem, error.file)}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof SpecFileMissing) {
      stderr.write(`${style.red('error:')} ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      stderr.write(`${style.red('error:')} ${error.message}\n`);
      return error.exitCode;
    }
    const expected = expectedFailure(error);
    if (expected !== undefined) {
      stderr.write(`${style.red('error:')} ${expected}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

/**
 * Standard output closed early (`hobbykube plan | head -3`): stop at once and quietly, with the
 * status a shell gives a process ended by SIGPIPE. Standard error closing is ignored: there is
 * nobody left to tell.
 */
export function exitQuietlyOnClosedOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, exit: (code: number) => void): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(EXIT_OUTPUT_CLOSED);
    else throw error;
  });
  stderr.on('error', () => {});
}

// Run when bundled as the CLI entry (not when imported by tests).
if (process.argv[1] && /hobbykube(\.js)?$|dist[\\/]cli\.js$/.test(process.argv[1])) {
  const toOutput = (stream: NodeJS.WriteStream): Output => ({
    write: (text) => void stream.write(text),
    isTTY: stream.isTTY === true,
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  });
  exitQuietlyOnClosedOutput(process.stdout, process.stderr, (code) => process.exit(code));
  main({
    argv: process.argv.slice(2),
    stdout: toOutput(process.stdout),
    stderr: toOutput(process.stderr),
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`hobbykube: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
