// `hobbykube` with no command: the wizard. It needs a real terminal for raw-mode key input, so
// it refuses clearly elsewhere instead of crashing inside Ink. This is where the wizard's parts
// are chosen: the flow gets the SSH prober and the state directory's files here, the full-screen
// screens or the plain prompts (with the terminal's asker) are the front end.
import { existsSync } from 'node:fs';
import { readSpecFile } from '../../spec/file.js';
import type { ClusterSpec } from '../../spec/types.js';
import { clusterPaths } from '../../state/paths.js';
import { stateFiles } from '../../wizard/files.js';
import { WizardFlow, type WizardDeps, type WizardResult } from '../../wizard/flow.js';
import { sshProber } from '../../wizard/ssh-prober.js';
import { CommandError, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from '../errors.js';
import type { Context } from '../context.js';
import { colorEnabled } from '../../text/style.js';

/** The wizard's flow on this spec path, over SSH and the state directory. */
function wizardFlow(context: Context, options: Partial<Omit<WizardDeps, 'specPath' | 'files' | 'prober'>> = {}): WizardFlow {
  return new WizardFlow({ specPath: context.specPath, files: stateFiles(context.env), prober: sshProber, ...options });
}

/** A valid spec in the folder opens the menu; a broken one goes to the wizard (which says so). */
function existingSpec(path: string): ClusterSpec | undefined {
  if (!existsSync(path)) return undefined;
  return readSpecFile(path).spec;
}

/** The menu, then the chosen command on the normal screen (its plan and questions stay visible). */
async function menu(context: Context, spec: ClusterSpec): Promise<number> {
  const { runMenu } = await import('../../../screens/wizard/run.js');
  const { MenuFlow } = await import('../../wizard/menu.js');
  // "Add a worker" keeps the typed node in memory only: no draft is offered or written.
  const menuFlow = new MenuFlow(spec, wizardFlow(context, { drafts: false }), clusterPaths(spec.metadata.name, context.env).userKubeconfig);
  const choice = await runMenu(menuFlow, colorEnabled(context.stdout, context.env));
  process.stdin.resume(); // the menu paused stdin; the commands' questions need it
  const asked = { ...context, assumeYes: false };
  switch (choice.action) {
    case 'add-worker': {
      const { addWorker } = await import('./add-worker.js');
      const n = choice.node;
      const port = /^\d+$/.test(n.port) ? Number(n.port) : n.port;
      return addWorker({ ...asked, command: 'add-worker' }, spec, {
        name: n.name,
        address: n.address,
        ...(n.user !== '' ? { user: n.user } : {}),
        ...(n.port !== '' && port !== 22 ? { port } : {}),
        ...(n.keyPath !== '' ? { keyPath: n.keyPath } : {}),
      });
    }
    case 'workloads': {
      const { runWizard } = await import('../../../screens/wizard/run.js');
      const flow = wizardFlow(context);
      flow.go('workloads');
      const result = await runWizard(flow, colorEnabled(context.stdout, context.env));
      if (result.action !== 'apply') return report(context, result);
      process.stdin.resume();
      const { loadSpec } = await import('../../spec/file.js');
      const { objectDiff, formatObjectDiff } = await import('../../wizard/object-diff.js');
      const next = loadSpec(result.specPath);
      const diff = objectDiff(spec, next);
      context.stdout.write(`Saved ${result.specPath}. Objects that change in the cluster:\n${formatObjectDiff(diff).join('\n')}\n\n`);
      const { applySpec } = await import('./apply.js');
      // The removals are listed above, so confirming the rollout confirms deleting them too.
      const prune = diff.some((d) => d.change === 'removed');
      return applySpec({ ...asked, command: 'apply', specPath: result.specPath }, next, { question: prune ? 'Roll out these workload changes, deleting what was removed?' : 'Roll out these workload changes?', prune });
    }
    case 'deploy':
      // The same handler as `hobbykube deploy NAME --image REF` (the running image: a restart).
      return (await import('./deploy.js')).deploy({ ...asked, command: 'deploy', positionals: [choice.workload] }, { kind: 'deploy', workload: choice.workload, image: choice.image });
    case 'rollback':
      return (await import('./rollback.js')).run({ ...asked, command: 'rollback', positionals: [choice.workload] });
    case 'logs':
      return (await import('./logs.js')).run({ ...asked, command: 'logs', positionals: [choice.workload], options: { ...context.options, tail: String(choice.tail) } });
    case 'status':
      return (await import('./status.js')).run({ ...asked, command: 'status', options: { ...context.options } });
    case 'doctor':
      return (await import('./doctor.js')).run({ ...asked, command: 'doctor', options: { ...context.options } });
    case 'upgrade':
      return (await import('./upgrade.js')).run({ ...asked, command: 'upgrade', options: { ...context.options } });
    case 'kubeconfig':
      return (await import('./kubeconfig.js')).run({ ...asked, command: 'kubeconfig', options: { ...context.options, ...(choice.mode === 'merge' ? { merge: true } : {}) } });
    case 'remove-worker':
      return (await import('./remove-worker.js')).run({ ...asked, command: 'remove-worker', options: { ...context.options, name: choice.node } });
    case 'reset':
      return (await import('./reset.js')).run({ ...asked, command: 'reset', options: { ...context.options, ...(choice.node ? { node: choice.node } : {}) } });
    case 'edit':
      return full(context);
    default:
      context.stdout.write('Nothing changed.\n');
      return choice.action === 'quit' && choice.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  }
}

export async function run(context: Context): Promise<number> {
  if (!context.stdinIsTTY || !context.stdout.isTTY) {
    const which = [!context.stdinIsTTY ? 'standard input' : '', !context.stdout.isTTY ? 'standard output' : ''].filter(Boolean).join(' and ');
    const plain = context.options.plain === true;
    throw new CommandError(
      `the ${plain ? 'wizard asks questions even with --plain, so it' : 'wizard'} needs an interactive terminal, but ${which} ${which.includes(' and ') ? 'are not terminals' : 'is not a terminal'}.\n` +
        `  To build the cluster from a spec file without questions: hobbykube apply -f ${context.specPath} --yes\n` +
        `  To check a spec file and see the plan:                  hobbykube plan -f ${context.specPath}\n` +
        (plain
          ? '  Run hobbykube --plain in a terminal (not from a pipe or a script) to be asked line by line.'
          : '  For line-by-line questions in a terminal:              hobbykube --plain'),
      EXIT_USAGE,
    );
  }
  if (context.options.plain !== true) {
    const spec = existingSpec(context.specPath);
    if (spec) return menu(context, spec);
  }
  return full(context);
}

/** The whole wizard (a new spec, or every screen of an existing one). */
async function full(context: Context): Promise<number> {
  let result: WizardResult;
  if (context.options.plain === true) {
    const prompts = await import('@inquirer/prompts');
    const { runPlain, isPromptExit } = await import('../../wizard/plain.js');
    const { cliAsker } = await import('../asker.js');
    const flow = wizardFlow(context, {
      // Each answer is kept at once: the prompts wait for the person anyway.
      draftDelayMs: 0,
      asker: (knownHostsPath) => cliAsker({ assumeYes: false, interactive: true, stderr: context.stderr, env: context.env, knownHostsPath }),
      isInterruption: isPromptExit,
    });
    result = await runPlain({ flow, prompts, write: (text) => context.stdout.write(text) });
  } else {
    const { runWizard } = await import('../../../screens/wizard/run.js');
    result = await runWizard(wizardFlow(context), colorEnabled(context.stdout, context.env));
  }
  return report(context, result);
}

async function report(context: Context, result: WizardResult): Promise<number> {
  switch (result.action) {
    case 'apply': {
      // The review's "install" is the confirmation; host keys were pinned while adding nodes.
      context.stdout.write(`Saved ${result.specPath}. Installing (the same as \`hobbykube apply -f ${result.specPath}\`):\n\n`);
      process.stdin.resume(); // the wizard paused stdin on exit; sudo password prompts may need it
      const { run: apply } = await import('./apply.js');
      return apply({ ...context, specPath: result.specPath, assumeYes: true });
    }
    case 'saved':
      context.stdout.write(`Saved ${result.specPath}. Check it with \`hobbykube plan -f ${result.specPath}\`; install with \`hobbykube apply -f ${result.specPath}\`.\n`);
      return EXIT_OK;
    default:
      context.stdout.write(`Nothing saved${result.draftPath ? `; your answers are kept in ${result.draftPath} and offered back next time` : ''}.\n`);
      return result.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  }
}
