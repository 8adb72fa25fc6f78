// Command-line parsing with node's own parseArgs, driven by the command table. Every mistake
// becomes a UsageError naming the option and what would be accepted.
import { parseArgs } from 'node:util';
import { COMMANDS, findCommand, type CommandSpec } from './command-table.js';
import { UsageError } from './errors.js';

export type Parsed =
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'version' }
  | { kind: 'run'; command: CommandSpec; options: Record<string, string | boolean | undefined>; positionals: string[]; rest: string[] };

export function parseCommandLine(argv: string[]): Parsed {
  const first = argv[0];
  let command = findCommand('wizard')!;
  let rest = argv;
  const named = first !== undefined && !first.startsWith('-');
  if (named) {
    if (first === 'help') {
      const about = argv[1] === undefined ? undefined : findCommand(argv[1]);
      if (argv[1] !== undefined && !about) throw unknownCommand(argv[1]);
      return { kind: 'help', ...(about ? { command: about } : {}) };
    }
    const found = findCommand(first);
    if (!found || found.name === 'wizard') throw unknownCommand(first);
    command = found;
    rest = argv.slice(1);
  }
  // A command that passes words on (exec NAME -- CMD...): everything after the first "--" is theirs.
  let passed: string[] = [];
  if (command.passthrough) {
    const at = rest.indexOf('--');
    if (at >= 0) {
      passed = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
  }
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', ...(named ? { command } : {}) };
  if (rest.includes('--version') || rest.includes('-V')) return { kind: 'version' };
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explain(error as Error, command), command.name);
  }
  const max = command.positionals?.max ?? 0;
  if (parsed.positionals.length > max) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}; ${command.usage.replace(/^/, 'usage: ')}`, command.name);
  }
  return { kind: 'run', command, options: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, rest: passed };
}

function unknownCommand(name: string): UsageError {
  const names = COMMANDS.filter((c) => c.name !== 'wizard').map((c) => c.name);
  return new UsageError(`unknown command ${JSON.stringify(name)}; expected one of ${names.join(', ')} (or none, for the wizard)`);
}

function explain(error: Error, command: CommandSpec): string {
  const code = (error as NodeJS.ErrnoException).code;
  const accepted = Object.entries(command.options)
    .map(([name, o]) => `--${name}${o.value ? ` ${o.value}` : ''}`)
    .join(', ');
  const where = command.name === 'wizard' ? 'hobbykube' : `hobbykube ${command.name}`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? 'option';
    return `${where}: unknown option ${option}; expected ${accepted}, -h/--help`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = (/'(-[^']*)'/.exec(error.message)?.[1] ?? 'an option').replace(' <value>', '');
    return `${where}: ${option} ${error.message.includes('argument missing') ? 'needs a value' : 'got a value it does not take'}; usage: ${command.usage}`;
  }
  return `${where}: ${error.message}; usage: ${command.usage}`;
}
