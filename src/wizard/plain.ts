// `hobbykube --plain`: the wizard's flow (flow.ts) asked one line at a time with @inquirer/prompts,
// for screen readers and terminals where a full-screen program is unwelcome. This front end only
// prints and prompts: the forms come from the question model, every decision from the flow, so
// the same answers build the same spec (and the same bytes on disk) as the full-screen wizard.
// Ctrl-C keeps the draft and ends without a trace.
import type { WorkloadKind } from '../spec/types.js';
import { nodesProblem } from './answers.js';
import { wrapLines } from '../text/wrap.js';
import type { WizardFlow, WizardResult } from './flow.js';
import { addLabel, KIND_CHOICES, KIND_LABEL, WELCOME_LINES, type FormModel, type Values } from './model.js';
import { probeLines, type ProbeState } from './probe.js';
import { reviewLines } from './review.js';

/** The four prompt functions plain mode uses (@inquirer/prompts' in real life; scripted in tests). */
export interface Prompts {
  input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
  password(options: { message: string; mask?: string | boolean; validate?: (value: string) => boolean | string }): Promise<string>;
  select<V extends string>(options: { message: string; choices: Array<{ value: V; name: string }>; default?: V }): Promise<V>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
}

export interface PlainOptions {
  /** Built by the command layer with the terminal's asker (host keys, sudo passwords) and `isPromptExit`. */
  flow: WizardFlow;
  prompts: Prompts;
  write: (text: string) => void;
  /** The terminal's width for wrapping (default: stdout's, 80 when unknown). */
  columns?: number;
}

/** Ctrl-C inside inquirer, or inside the CLI asker's host-key question (which reports it as "cancelled"). */
export const isPromptExit = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.message.includes('cancelled; nothing was changed'));

export async function runPlain(options: PlainOptions): Promise<WizardResult> {
  const { flow, prompts, write } = options;
  const columns = Math.max(40, Math.min(options.columns ?? process.stdout.columns ?? 80, 100));
  const state = flow.getState;
  const indented = (lines: readonly string[]) => `${wrapLines(lines.map((l) => `  ${l}`), columns).join('\n')}\n`;

  /** Asks every visible field of a form in order; fields may appear as earlier answers change. */
  const ask = async (form: FormModel, start: Values = form.initial): Promise<Values> => {
    // The welcome text was printed once already, as the very first thing.
    if (form.intro.length > 0 && form.intro !== WELCOME_LINES) write(`\n${form.title}\n${indented(form.intro)}`);
    else write(`\n${form.title}\n`);
    const values: Values = { ...start };
    for (let i = 0; i < form.fields(values).length; i += 1) {
      const field = form.fields(values)[i]!;
      const validate = (v: string) => field.validate(v) ?? true;
      if (field.kind === 'choice') {
        const choices = field.choices ?? [];
        const current = choices.some((c) => c.value === values[field.key]) ? values[field.key] : choices[0]?.value;
        values[field.key] = await prompts.select({ message: field.message, choices, ...(current !== undefined ? { default: current } : {}) });
      } else if (field.kind === 'secret') {
        if (field.hint) write(`  ${field.hint}\n`);
        values[field.key] = await prompts.password({ message: field.message, mask: '*', validate });
      } else {
        const current = values[field.key] ?? '';
        values[field.key] = (await prompts.input({ message: field.message, ...(current !== '' ? { default: current } : {}), validate })).trim();
      }
      for (const line of field.preview?.(values[field.key] ?? '') ?? []) write(`  ${line}\n`);
    }
    return values;
  };

  /** Prints a node check's outcome and offers the small-node override where it applies. */
  const reportCheck = async (index: number, probe: ProbeState | undefined) => {
    const node = state().answers.nodes[index];
    if (!node || !probe) return;
    write(indented(probeLines(node, probe)));
    if (flow.undersizedOffer(index) === 'accept' && (await prompts.confirm({ message: `Accept ${node.name} as undersized at your own risk (acceptUndersized)?`, default: false }))) {
      flow.toggleUndersized(index);
    }
  };
  const saveNode = async (index: number | undefined) => {
    const values = await ask(flow.nodeForm(index));
    const probe = await flow.saveNode(index, values);
    await reportCheck(index ?? state().answers.nodes.length - 1, probe);
  };

  // Every check says where it connects first (the host key question may follow).
  const announced = new Set<ProbeState>();
  const unsubscribe = flow.subscribe(() => {
    for (const [name, probe] of Object.entries(state().probes)) {
      if (probe.status !== 'connecting' || announced.has(probe)) continue;
      announced.add(probe);
      write(`Connecting to ${name} (${probe.address}) ...\n`);
    }
  });

  try {
    if (state().notice) write(`${state().notice}\n`);
    write(`${wrapLines(WELCOME_LINES, columns).join('\n')}\n`);
    const offer = state().draftOffer;
    if (offer) flow.resumeDraft(await prompts.confirm({ message: `Resume the unfinished answers for cluster "${offer.name}" (${offer.when})?`, default: true }), 'welcome');
    flow.submit('welcome', await ask(flow.form('welcome')));

    // Nodes
    for (const [i] of state().answers.nodes.entries()) await reportCheck(i, await flow.checkNode(i));
    if (state().answers.nodes.length === 0) await saveNode(undefined);
    for (;;) {
      const nodes = state().answers.nodes;
      const problem = nodesProblem(state().answers);
      const choices = [
        ...(problem ? [] : [{ value: 'continue', name: 'Continue to DNS' }]),
        { value: 'add', name: 'Add a node' },
        ...nodes.map((n, i) => ({ value: `edit:${i}`, name: `Edit ${n.name} (${n.address})` })),
        ...nodes.map((n, i) => ({ value: `remove:${i}`, name: `Remove ${n.name}` })),
      ];
      write(`\nNodes: ${nodes.map((n) => `${n.name} (${n.role})`).join(', ')}${problem ? `  ${problem}` : ''}\n`);
      const choice = await prompts.select({ message: 'Nodes', choices, default: choices[0]!.value });
      if (choice === 'continue') break;
      if (choice === 'add') await saveNode(undefined);
      else if (choice.startsWith('edit:')) await saveNode(Number(choice.slice(5)));
      else if (choice.startsWith('remove:')) flow.removeNode(Number(choice.slice(7)));
    }
    flow.continueFromNodes();

    // DNS, domains
    flow.submit('dns', await ask(flow.form('dns')));
    flow.submit('ingress', await ask(flow.form('ingress')));

    // Workloads
    for (;;) {
      const list = state().answers.workloads;
      const choices = [
        ...KIND_CHOICES.map((c) => ({ value: `add:${c.value}`, name: addLabel(c) })),
        ...list.map((w, i) => ({ value: `edit:${i}`, name: `Edit ${KIND_LABEL[w.kind]} ${w.name}` })),
        ...list.map((w, i) => ({ value: `remove:${i}`, name: `Remove ${w.name}` })),
        { value: 'continue', name: 'Continue to the review' },
      ];
      write(`\nWorkloads: ${list.length === 0 ? 'none yet' : list.map((w) => `${w.name} (${KIND_LABEL[w.kind]})`).join(', ')}\n`);
      const choice = await prompts.select({ message: 'Workloads', choices, default: choices[0]!.value });
      if (choice === 'continue') break;
      if (choice.startsWith('remove:')) {
        flow.removeWorkload(Number(choice.slice(7)));
        continue;
      }
      const index = choice.startsWith('edit:') ? Number(choice.slice(5)) : undefined;
      const kind = (index === undefined ? choice.slice(4) : list[index]!.kind) as WorkloadKind;
      const problem = flow.saveWorkload(index, kind, await ask(flow.workloadForm(kind, index)));
      if (problem) write(`  ${problem}\n`);
    }
    flow.go('review');

    // Review
    for (;;) {
      const r = flow.review();
      if (r.problems.length > 0) write(`\nThe answers do not make a valid spec yet:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`);
      else write(`\n${reviewLines(r).join('\n')}\n`);
      const choice = await prompts.select({
        message: 'What now?',
        choices: [
          ...(r.problems.length === 0
            ? [
                { value: 'install' as const, name: 'Install now (save the spec, then apply)' },
                { value: 'save' as const, name: 'Save the spec and quit' },
              ]
            : []),
          { value: 'quit' as const, name: 'Quit (the answers stay as a draft)' },
        ],
      });
      const result = flow.finish(choice);
      if (!result) {
        write(`  could not save: ${state().notice ?? 'unknown reason'}\n`);
        continue;
      }
      if (result.action !== 'quit') write(`Saved ${result.specPath}.\n`);
      return result;
    }
  } catch (error) {
    if (!isPromptExit(error)) throw error;
    const result = flow.interrupt();
    const path = result.action === 'quit' ? result.draftPath : undefined;
    write(`\nStopped.${path ? ` Your answers are kept as a draft (${path}); run hobbykube --plain again to resume.` : ''}\n`);
    return result;
  } finally {
    unsubscribe();
  }
}
