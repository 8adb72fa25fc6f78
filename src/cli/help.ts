// Help text generated from the command table.
import { COMMANDS, WIZARD_PLAIN_HELP, type CommandSpec } from './command-table.js';

function optionLines(command: CommandSpec): string[] {
  const rows = Object.entries(command.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.help] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
}

export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `hobbykube ${version}: a personal Kubernetes cluster on cheap VPSes, over SSH with kubeadm.`,
    '',
    'Usage: hobbykube [COMMAND] [OPTIONS]',
    '',
    'With no command, opens the wizard (or, when a spec file exists, its menu).',
    '',
    'Commands:',
    ...COMMANDS.filter((c) => c.name !== 'wizard').map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  -f, --file FILE  the cluster spec file (default: hobbykube.yaml)',
    '  -h, --help       help for hobbykube or for a command (hobbykube apply --help)',
    '  -V, --version    print the version',
    '',
    'Options of the wizard (hobbykube with no command):',
    `  --plain          ${WIZARD_PLAIN_HELP}`,
    '',
    'Environment: HOBBYKUBE_HOME (state directory, default ~/.hobbykube), NO_COLOR (no colours).',
    'Exit codes: 0 ok, 1 failure, 2 usage error or invalid spec, 130 interrupted (Ctrl-C),',
    '  141 the output was closed early (hobbykube plan | head).',
    '',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  return [`Usage: ${command.usage}`, '', command.description, '', 'Options:', ...optionLines(command), ''].join('\n');
}
