// How the command line answers the transport's questions: host keys and secrets. In a terminal
// it asks with @inquirer/prompts (one question at a time, even when nodes connect in parallel);
// elsewhere `--yes` accepts new host keys and secrets come from the environment, or it stops
// with a message that says exactly what to do.
import { Limiter } from '../ssh/limiter.js';
import type { Asker, SecretKind } from '../ssh/types.js';
import { CommandError } from './errors.js';
import type { Output } from './context.js';
import { wrapPromptMessage } from '../text/wrap.js';

export const SECRET_ENV: Record<SecretKind, string> = {
  'sudo-password': 'HOBBYKUBE_SUDO_PASSWORD',
  'key-passphrase': 'HOBBYKUBE_KEY_PASSPHRASE',
};

export interface CliAskerOptions {
  assumeYes: boolean;
  interactive: boolean;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  knownHostsPath: string;
}

export function cliAsker(options: CliAskerOptions): Asker {
  const oneAtATime = new Limiter(1);
  return {
    confirmHostKey: (node, address, fingerprint, keyType) =>
      oneAtATime.run(async () => {
        const what = `${node} (${address}) is new to this cluster: its ${keyType} host key is ${fingerprint}`;
        if (options.assumeYes) {
          options.stderr.write(`${what}; accepted (--yes) and pinned in ${options.knownHostsPath}\n`);
          return true;
        }
        if (!options.interactive) {
          throw new CommandError(
            `${what}.\n  Compare it with \`ssh-keygen -lf /etc/ssh/ssh_host_${keyType.replace(/^ssh-|-.*$/g, '').toLowerCase()}_key.pub\` on the node, ` +
              'then rerun with --yes to pin it (or run in a terminal to be asked). Nothing was run.',
          );
        }
        const { confirm } = await import('@inquirer/prompts');
        try {
          return await confirm({ message: wrapPromptMessage(`${what}.\n  Does that match the node? Pin it and connect`, options.stderr.columns), default: false });
        } catch (error) {
          throw cancelled(error);
        }
      }),
    secret: (question, kind) =>
      oneAtATime.run(async () => {
        const fromEnv = options.env[SECRET_ENV[kind]];
        if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
        if (!options.interactive) {
          throw new CommandError(
            `${question} is needed, but there is no terminal to ask in. Set ${SECRET_ENV[kind]} in the environment` +
              (kind === 'sudo-password' ? ', or allow passwordless sudo for the SSH user, or log in as root.' : ', or load the key into ssh-agent.'),
          );
        }
        const { password } = await import('@inquirer/prompts');
        try {
          return await password({ message: wrapPromptMessage(question, options.stderr.columns), mask: '*' });
        } catch (error) {
          throw cancelled(error);
        }
      }),
  };
}

function cancelled(error: unknown): Error {
  if (error instanceof Error && error.name === 'ExitPromptError') return new CommandError('cancelled; nothing was changed.');
  return error instanceof Error ? error : new Error(String(error));
}
