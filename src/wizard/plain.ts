// `hobbykube --plain`: the same forms as the full-screen wizard (src/wizard/model.ts), asked one
// line at a time with @inquirer/prompts, for screen readers and terminals where a full-screen
// program is unwelcome. Same messages, defaults and checks; the same answers build the same spec
// (answers.ts) and so the same bytes on disk. Ctrl-C keeps the draft and ends without a trace.
import type { Asker } from '../ssh/types.js';
import { clusterPaths, ensureClusterDir } from '../state/paths.js';
import { loadSecrets } from '../state/secrets.js';
import { existsSync } from 'node:fs';
import { readSpecFile } from '../spec/file.js';
import type { WorkloadKind } from '../spec/types.js';
import type { NodeFacts } from '../facts/types.js';
import {
  answersFromSpec,
  applyDns,
  applyIngress,
  applyNode,
  applyWelcome,
  applyWorkload,
  emptyAnswers,
  nodeFromValues,
  removeNode,
  removeWorkload,
  secretValues,
  splitList,
  workloadFromValues,
  type Answers,
} from './answers.js';
import { discardDraft, findDraft, saveDraft, type ScreenId } from './draft.js';
import { wrapLines } from '../text/wrap.js';
import { addLabel, dnsForm, ingressForm, KIND_CHOICES, KIND_LABEL, newWorkload, nodeForm, welcomeForm, workloadForm, WELCOME_LINES, type FormModel, type Values } from './model.js';
import { canAcceptUndersized, errorText, judge, nodeSpecOf, probeLines, sshProber, type Prober } from './probe.js';
import { review, storeSecrets, writeSpec } from './review.js';
import type { WizardResult } from './controller.js';

/** The four prompt functions plain mode uses (@inquirer/prompts' in real life; scripted in tests). */
/** The terminal's width for wrapping (80 when unknown). */
const columns = (): number => Math.max(40, Math.min(process.stdout.columns ?? 80, 100));

export interface Prompts {
  input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
  password(options: { message: string; mask?: string | boolean; validate?: (value: string) => boolean | string }): Promise<string>;
  select<V extends string>(options: { message: string; choices: Array<{ value: V; name: string }>; default?: V }): Promise<V>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
}

export interface PlainOptions {
  specPath: string;
  prompts: Prompts;
  /** How the transport asks (host keys, sudo passwords): the CLI's inquirer asker. */
  asker: (knownHostsPath: string) => Asker;
  write: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  prober?: Prober;
  now?: () => Date;
}

// Ctrl-C inside inquirer, or inside the CLI asker's host-key question (which reports it as "cancelled").
const isExit = (error: unknown) =>
  error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.message.includes('cancelled; nothing was changed'));

export async function runPlain(options: PlainOptions): Promise<WizardResult> {
  const env = options.env ?? process.env;
  const { prompts, write } = options;
  const prober = options.prober ?? sshProber;
  const facts = new Map<string, NodeFacts>();
  let answers = emptyAnswers();
  let screen: ScreenId = 'welcome';
  if (existsSync(options.specPath)) {
    const read = readSpecFile(options.specPath);
    if (read.spec) {
      answers = answersFromSpec(read.spec);
      write(`Editing ${options.specPath}: saving changes only what you change.\n`);
    }
  }
  const keep = (next: Answers, at: ScreenId) => {
    answers = next;
    screen = at;
    try {
      saveDraft(answers, screen, env, options.now?.() ?? new Date());
    } catch {
      // a draft that cannot be written must not end the wizard
    }
  };

  /** Asks every visible field of a form in order; fields may appear as earlier answers change. */
  const ask = async (form: FormModel, start: Values = form.initial): Promise<Values> => {
    // The welcome text was printed once already, as the very first thing.
    if (form.intro.length > 0 && form.intro !== WELCOME_LINES) write(`\n${form.title}\n${wrapLines(form.intro.map((l) => `  ${l}`), columns()).join('\n')}\n`);
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

  const checkNode = async (index: number) => {
    const node = answers.nodes[index]!;
    const paths = clusterPaths(answers.cluster.name, env);
    ensureClusterDir(paths);
    write(`Connecting to ${node.name} (${node.address}) ...\n`);
    try {
      const f = await prober(nodeSpecOf(node), options.asker(paths.knownHosts), paths.knownHosts);
      facts.set(node.name, f);
      const verdict = judge(node, f, answers.network);
      write(`${wrapLines(probeLines(node, { status: 'ok', address: node.address, facts: f, verdict }).map((l) => `  ${l}`), columns()).join('\n')}\n`);
      if (canAcceptUndersized(node, verdict) && !node.acceptUndersized) {
        if (await prompts.confirm({ message: `Accept ${node.name} as undersized at your own risk (acceptUndersized)?`, default: false })) {
          keep(applyNode(answers, index, { ...node, acceptUndersized: true }), 'nodes');
        }
      }
    } catch (error) {
      if (isExit(error)) throw error;
      facts.delete(node.name);
      write(`  fail  ${errorText(node.name, error)}\n`);
    }
  };

  try {
    write(`${wrapLines(WELCOME_LINES, columns()).join('\n')}\n`);
    const draft = findDraft(env);
    if (draft && (await prompts.confirm({ message: `Resume the unfinished answers for cluster "${draft.answers.cluster.name}" (${draft.savedAt.slice(0, 16).replace('T', ' ')} UTC)?`, default: true }))) {
      answers = draft.answers;
    }
    keep(applyWelcome(answers, await ask(welcomeForm(answers))), 'nodes');

    // Nodes
    for (const [i] of answers.nodes.entries()) await checkNode(i);
    if (answers.nodes.length === 0) {
      keep(applyNode(answers, undefined, nodeFromValues(await ask(nodeForm(answers, undefined)))), 'nodes');
      await checkNode(answers.nodes.length - 1);
    }
    for (;;) {
      const cps = answers.nodes.filter((n) => n.role === 'control-plane').length;
      const choices = [
        ...(cps === 1 ? [{ value: 'continue', name: 'Continue to DNS' }] : []),
        { value: 'add', name: 'Add a node' },
        ...answers.nodes.map((n, i) => ({ value: `edit:${i}`, name: `Edit ${n.name} (${n.address})` })),
        ...answers.nodes.map((n, i) => ({ value: `remove:${i}`, name: `Remove ${n.name}` })),
      ];
      write(`\nNodes: ${answers.nodes.map((n) => `${n.name} (${n.role})`).join(', ')}${cps === 1 ? '' : `  (exactly one control plane needed, now ${cps})`}\n`);
      const choice = await prompts.select({ message: 'Nodes', choices, default: choices[0]!.value });
      if (choice === 'continue') break;
      if (choice === 'add') {
        keep(applyNode(answers, undefined, nodeFromValues(await ask(nodeForm(answers, undefined)))), 'nodes');
        await checkNode(answers.nodes.length - 1);
      } else if (choice.startsWith('edit:')) {
        const i = Number(choice.slice(5));
        keep(applyNode(answers, i, nodeFromValues(await ask(nodeForm(answers, i)), answers.nodes[i])), 'nodes');
        await checkNode(i);
      } else if (choice.startsWith('remove:')) keep(removeNode(answers, Number(choice.slice(7))), 'nodes');
    }

    // DNS, domains
    const cp = answers.nodes.find((n) => n.role === 'control-plane');
    const cpFacts = cp ? facts.get(cp.name) : undefined;
    const prefill = cpFacts ? (cpFacts.dns.upstream.length > 0 ? cpFacts.dns.upstream : cpFacts.dns.nameservers) : undefined;
    keep(applyDns(answers, await ask(dnsForm(answers, prefill))), 'ingress');
    keep(applyIngress(answers, await ask(ingressForm(answers))), 'workloads');

    // Workloads
    for (;;) {
      const choices = [
        ...KIND_CHOICES.map((c) => ({ value: `add:${c.value}`, name: addLabel(c) })),
        ...answers.workloads.map((w, i) => ({ value: `edit:${i}`, name: `Edit ${KIND_LABEL[w.kind]} ${w.name}` })),
        ...answers.workloads.map((w, i) => ({ value: `remove:${i}`, name: `Remove ${w.name}` })),
        { value: 'continue', name: 'Continue to the review' },
      ];
      write(`\nWorkloads: ${answers.workloads.length === 0 ? 'none yet' : answers.workloads.map((w) => `${w.name} (${KIND_LABEL[w.kind]})`).join(', ')}\n`);
      const choice = await prompts.select({ message: 'Workloads', choices, default: choices[0]!.value });
      if (choice === 'continue') break;
      if (choice.startsWith('remove:')) {
        keep(removeWorkload(answers, Number(choice.slice(7))), 'workloads');
        continue;
      }
      const index = choice.startsWith('edit:') ? Number(choice.slice(5)) : undefined;
      const kind = (index === undefined ? choice.slice(4) : answers.workloads[index]!.kind) as WorkloadKind;
      const before = index === undefined ? newWorkload(answers, kind) : answers.workloads[index]!;
      const stored = index === undefined ? [] : Object.keys(loadSecrets(clusterPaths(answers.cluster.name, env))[before.name] ?? {});
      const values = await ask(workloadForm(answers, kind, index, { storedSecrets: stored, ...(options.now ? { now: options.now } : {}) }));
      const workload = workloadFromValues(kind, values, before);
      const keepNames = new Set(splitList(workload.secretEnv));
      const next = applyWorkload(answers, index, workload);
      storeSecrets(next, workload.name, Object.fromEntries(Object.entries(secretValues(values)).filter(([k]) => keepNames.has(k))), env);
      keep(next, 'workloads');
    }

    // Review
    for (;;) {
      const r = review(answers, facts);
      if (r.problems.length > 0) write(`\nThe answers do not make a valid spec yet:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`);
      else write(`\nSpec\n${r.summary.join('\n')}\n\nCapacity\n${r.capacity.map((l) => `  ${l}`).join('\n')}\n\nAddresses\n${r.addresses.map((l) => `  ${l}`).join('\n')}\n\nPlan\n${r.plan.map((l) => `  ${l}`).join('\n')}\n`);
      const choice = await prompts.select({
        message: 'What now?',
        choices: [
          ...(r.problems.length === 0
            ? [
                { value: 'install', name: 'Install now (save the spec, then apply)' },
                { value: 'save', name: 'Save the spec and quit' },
              ]
            : []),
          { value: 'quit', name: 'Quit (the answers stay as a draft)' },
        ],
      });
      if (choice === 'quit') return { action: 'quit' };
      writeSpec(answers, options.specPath);
      discardDraft(answers, env);
      write(`Saved ${options.specPath}.\n`);
      return choice === 'install' ? { action: 'apply', specPath: options.specPath } : { action: 'saved', specPath: options.specPath };
    }
  } catch (error) {
    if (!isExit(error)) throw error;
    const path = saveDraft(answers, screen, env);
    write(`\nStopped.${path ? ` Your answers are kept as a draft (${path}); run hobbykube --plain again to resume.` : ''}\n`);
    return { action: 'quit', ...(path ? { draftPath: path } : {}), interrupted: true };
  }
}
