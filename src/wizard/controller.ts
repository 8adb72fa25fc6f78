// The wizard's state and every decision the screens ask for. Screens render `getState()` and
// call the intent methods (submitWelcome, saveNode, answerHostKey, finish ...); they never talk
// SSH or write files. The store connects nodes through an Asker whose questions appear as
// `pending` in the state, saves the draft as answers change, and ends with a result the CLI acts on.
import { existsSync } from 'node:fs';
import { readSpecFile } from '../spec/file.js';
import type { NodeFacts } from '../facts/types.js';
import { clusterPaths, ensureClusterDir } from '../state/paths.js';
import { loadSecrets, saveSecrets } from '../state/secrets.js';
import type { Asker, SecretKind } from '../ssh/types.js';
import type { WorkloadKind } from '../spec/types.js';
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
import { discardDraft, findDraft, saveDraft, SCREENS, type ScreenId } from './draft.js';
import { newWorkload, type Values } from './model.js';
import { errorText, judge, nodeSpecOf, sshProber, type ProbeState, type Prober } from './probe.js';
import { review, storeSecrets, writeSpec, type ReviewText } from './review.js';

export type Pending =
  | { kind: 'hostkey'; node: string; address: string; fingerprint: string; keyType: string }
  | { kind: 'secret'; question: string; secretKind: SecretKind };

export type WizardResult =
  | { action: 'apply'; specPath: string }
  | { action: 'saved'; specPath: string }
  /** interrupted: Ctrl-C or a hang-up/termination signal rather than the wizard's own quit (exit 130). */
  | { action: 'quit'; draftPath?: string; interrupted?: true };

export interface DraftOffer {
  path: string;
  name: string;
  savedAt: string;
  screen: ScreenId;
  answers: Answers;
}

export interface WizardState {
  screen: ScreenId;
  answers: Answers;
  probes: Record<string, ProbeState>;
  pending?: Pending;
  /** Secret names that already have a value in secrets.yaml, per workload. */
  storedSecrets: Record<string, string[]>;
  /** A draft from an earlier run, offered before anything else. */
  draftOffer?: DraftOffer;
  /** One line for the status bar (what just happened, or why something is refused). */
  notice?: string;
  /** Whether the spec file existed when the wizard started (editing it). */
  editing: boolean;
  result?: WizardResult;
}

export interface WizardOptions {
  specPath: string;
  env?: NodeJS.ProcessEnv;
  prober?: Prober;
  now?: () => Date;
  /** Milliseconds to wait after a change before saving the draft (0: at once). */
  draftDelayMs?: number;
}

export const SCREEN_TITLES: Record<ScreenId, string> = {
  welcome: 'Welcome',
  nodes: 'Nodes',
  dns: 'DNS',
  ingress: 'Domains & TLS',
  workloads: 'Workloads',
  review: 'Review',
};

export class WizardStore {
  private state: WizardState;
  private readonly listeners = new Set<() => void>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly prober: Prober;
  private draftTimer: NodeJS.Timeout | undefined;
  private pendingResolve: ((value: boolean | string | undefined) => void) | undefined;
  private readonly questions: Array<() => void> = [];
  /** Unsubmitted form values per form (node:new, workload:app:2 ...): Esc keeps them for next time. */
  readonly formDrafts = new Map<string, Values>();
  private resultResolve: ((r: WizardResult) => void) | undefined;
  readonly done: Promise<WizardResult>;
  readonly now: () => Date;

  constructor(readonly options: WizardOptions) {
    this.env = options.env ?? process.env;
    this.prober = options.prober ?? sshProber;
    this.now = options.now ?? (() => new Date());
    this.done = new Promise((resolve) => (this.resultResolve = resolve));
    let answers = emptyAnswers();
    let editing = false;
    let notice: string | undefined;
    if (existsSync(options.specPath)) {
      const read = readSpecFile(options.specPath);
      if (read.spec) {
        answers = answersFromSpec(read.spec);
        editing = true;
        notice = `Editing ${options.specPath}: saving changes only what you change.`;
      } else notice = `${options.specPath} has problems; starting fresh (saving keeps the old file as ${options.specPath}.bak).`;
    }
    const draft = findDraft(this.env);
    this.state = {
      screen: 'welcome',
      answers,
      probes: {},
      storedSecrets: {},
      editing,
      ...(notice ? { notice } : {}),
      ...(draft ? { draftOffer: { path: draft.path, name: draft.answers.cluster.name, savedAt: draft.savedAt, screen: draft.screen, answers: draft.answers } } : {}),
    };
    this.refreshStoredSecrets();
  }

  // ------------------------------------------------------------------ store plumbing

  getState = (): WizardState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<WizardState>, options: { save?: boolean } = {}): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
    if (options.save) this.scheduleDraft();
  }

  private setAnswers(answers: Answers, patch: Partial<WizardState> = {}): void {
    this.set({ ...patch, answers }, { save: true });
  }

  private scheduleDraft(): void {
    if (this.state.result) return;
    const delay = this.options.draftDelayMs ?? 250;
    if (this.draftTimer) clearTimeout(this.draftTimer);
    if (delay === 0) return void this.flushDraft();
    this.draftTimer = setTimeout(() => this.flushDraft(), delay);
    this.draftTimer.unref?.();
  }

  /** Saves the draft now (also called on Ctrl-C and on exit). Returns its path. */
  flushDraft(): string | undefined {
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    if (this.state.draftOffer) return undefined; // not decided yet: do not overwrite the offered draft
    if (this.state.result && this.state.result.action !== 'quit') return undefined; // saved as a spec: no draft left behind
    try {
      return saveDraft(this.state.answers, this.state.screen, this.env, this.now());
    } catch {
      return undefined; // a draft that cannot be written must not end the wizard
    }
  }

  private refreshStoredSecrets(): void {
    const name = this.state.answers.cluster.name;
    if (name === '') return;
    try {
      const secrets = loadSecrets(clusterPaths(name, this.env));
      this.set({ storedSecrets: Object.fromEntries(Object.entries(secrets).map(([w, v]) => [w, Object.keys(v)])) });
    } catch {
      // unreadable secrets file: the form asks for every value again
    }
  }

  // ------------------------------------------------------------------ intents

  resumeDraft(resume: boolean): void {
    const offer = this.state.draftOffer;
    if (!offer) return;
    if (resume) {
      this.set({ draftOffer: undefined, answers: offer.answers, screen: offer.screen === 'review' ? 'workloads' : offer.screen, notice: `Resumed the draft of ${offer.name}.` });
      this.refreshStoredSecrets();
      for (const [i] of offer.answers.nodes.entries()) if (offer.screen !== 'welcome') void this.checkNode(i);
    } else {
      this.set({ draftOffer: undefined, notice: 'Starting fresh; the old draft is replaced as you go.' });
    }
  }

  go(screen: ScreenId): void {
    this.set({ screen, notice: undefined }, { save: true });
  }

  back(): void {
    const i = SCREENS.indexOf(this.state.screen);
    if (i > 0) this.go(SCREENS[i - 1]!);
  }

  /** Keeps a form's values without checking them (Esc, or as the person types). */
  keep(form: 'welcome' | 'dns' | 'ingress', values: Values): void {
    const a = this.state.answers;
    const next = form === 'welcome' ? applyWelcome(a, values) : form === 'dns' ? applyDns(a, values) : applyIngress(a, values);
    if (form === 'welcome' && next.cluster.name !== a.cluster.name) {
      this.setAnswers(next);
      this.refreshStoredSecrets();
    } else this.setAnswers(next);
  }

  submitWelcome(values: Values): void {
    this.keep('welcome', values);
    this.go('nodes');
  }

  saveNode(index: number | undefined, values: Values): void {
    const previous = index === undefined ? undefined : this.state.answers.nodes[index];
    const node = nodeFromValues(values, previous);
    const answers = applyNode(this.state.answers, index, node);
    const probes = { ...this.state.probes };
    if (previous && previous.name !== node.name) delete probes[previous.name];
    this.setAnswers(answers, { probes, notice: undefined });
    void this.checkNode(index ?? answers.nodes.length - 1);
  }

  removeNode(index: number): void {
    const node = this.state.answers.nodes[index];
    if (!node) return;
    const probes = { ...this.state.probes };
    delete probes[node.name];
    this.setAnswers(removeNode(this.state.answers, index), { probes, notice: `Removed ${node.name}.` });
  }

  /** Connects to the node, pins its host key (asking first), gathers facts and judges them. */
  async checkNode(index: number): Promise<void> {
    const node = this.state.answers.nodes[index];
    if (!node || this.state.answers.cluster.name === '') return;
    const paths = clusterPaths(this.state.answers.cluster.name, this.env);
    this.set({ probes: { ...this.state.probes, [node.name]: { status: 'connecting', address: node.address } } });
    let next: ProbeState;
    try {
      ensureClusterDir(paths);
      const facts = await this.prober(nodeSpecOf(node), this.asker(), paths.knownHosts);
      const current = this.state.answers.nodes.find((n) => n.name === node.name) ?? node;
      next = { status: 'ok', address: node.address, facts, verdict: judge(current, facts, this.state.answers.network) };
    } catch (error) {
      next = { status: 'error', address: node.address, error: errorText(node.name, error) };
    }
    // The node may have been edited or removed meanwhile: only record what still matches.
    const still = this.state.answers.nodes.find((n) => n.name === node.name);
    if (!still || still.address !== node.address) return;
    this.set({ probes: { ...this.state.probes, [node.name]: next } });
  }

  /** The small-node override: on (or off again) for a control plane below kubeadm's minimum. */
  toggleUndersized(index: number): void {
    const node = this.state.answers.nodes[index];
    if (!node) return;
    const updated = { ...node, acceptUndersized: !node.acceptUndersized };
    const answers = applyNode(this.state.answers, index, updated);
    const probe = this.state.probes[node.name];
    const probes = probe?.status === 'ok' ? { ...this.state.probes, [node.name]: { ...probe, verdict: judge(updated, probe.facts, this.state.answers.network) } } : this.state.probes;
    this.setAnswers(answers, { probes, notice: updated.acceptUndersized ? `${node.name} accepted as undersized: kubeadm will ignore its size checks.` : `${node.name}: undersized override removed.` });
  }

  /** The Asker the transport uses while the wizard runs: questions appear as `pending`, one at a time. */
  asker(): Asker {
    const ask = <T>(pending: Pending) =>
      new Promise<T>((resolve) => {
        const show = () => {
          this.pendingResolve = resolve as (v: boolean | string | undefined) => void;
          this.set({ pending });
        };
        if (this.pendingResolve) this.questions.push(show);
        else show();
      });
    return {
      confirmHostKey: (node, address, fingerprint, keyType) => ask<boolean>({ kind: 'hostkey', node, address, fingerprint, keyType }),
      secret: async (question, kind) => {
        const value = await ask<string | undefined>({ kind: 'secret', question, secretKind: kind });
        if (value === undefined) throw new Error(`${question}: not given`);
        return value;
      },
    };
  }

  private answerPending(value: boolean | string | undefined): void {
    const resolve = this.pendingResolve;
    this.pendingResolve = undefined;
    this.set({ pending: undefined });
    resolve?.(value);
    this.questions.shift()?.();
  }

  answerHostKey(accept: boolean): void {
    if (this.state.pending?.kind === 'hostkey') this.answerPending(accept);
  }

  /** undefined: the person declined to give it. */
  answerSecret(value: string | undefined): void {
    if (this.state.pending?.kind === 'secret') this.answerPending(value);
  }

  /** Leaving the nodes screen needs nodes and exactly one control plane. */
  nodesProblem(): string | undefined {
    const nodes = this.state.answers.nodes;
    if (nodes.length === 0) return 'Add at least one node (the control plane) first.';
    const cps = nodes.filter((n) => n.role === 'control-plane').length;
    if (cps !== 1) return `Exactly one node must be the control plane (now ${cps}).`;
    return undefined;
  }

  continueFromNodes(): void {
    const problem = this.nodesProblem();
    if (problem) return this.set({ notice: problem });
    this.go('dns');
  }

  /** The control plane's real upstream resolvers, for prefilling the DNS question. */
  dnsPrefill(): string[] | undefined {
    const cp = this.state.answers.nodes.find((n) => n.role === 'control-plane');
    const probe = cp ? this.state.probes[cp.name] : undefined;
    if (probe?.status !== 'ok') return undefined;
    return probe.facts.dns.upstream.length > 0 ? probe.facts.dns.upstream : probe.facts.dns.nameservers;
  }

  submitDns(values: Values): void {
    this.keep('dns', values);
    this.go('ingress');
  }

  submitIngress(values: Values): void {
    this.keep('ingress', values);
    this.go('workloads');
  }

  saveWorkload(index: number | undefined, kind: WorkloadKind, values: Values): void {
    const before = index === undefined ? newWorkload(this.state.answers, kind) : this.state.answers.workloads[index]!;
    const workload = workloadFromValues(kind, values, before);
    if (index !== undefined && before.name !== workload.name) this.renameSecrets(before.name, workload.name);
    const secrets = secretValues(values);
    const keep = new Set(splitList(workload.secretEnv));
    const answers = applyWorkload(this.state.answers, index, workload);
    try {
      storeSecrets(answers, workload.name, Object.fromEntries(Object.entries(secrets).filter(([k]) => keep.has(k))), this.env);
    } catch (error) {
      this.set({ notice: `could not store the secret values: ${error instanceof Error ? error.message : String(error)}` });
    }
    this.setAnswers(answers, { notice: `Saved ${workload.name}.` });
    this.refreshStoredSecrets();
  }

  private renameSecrets(from: string, to: string): void {
    try {
      const paths = clusterPaths(this.state.answers.cluster.name, this.env);
      const secrets = loadSecrets(paths);
      if (!secrets[from]) return;
      secrets[to] = { ...secrets[from], ...(secrets[to] ?? {}) };
      delete secrets[from];
      saveSecrets(paths, secrets);
    } catch {
      // nothing stored yet
    }
  }

  removeWorkload(index: number): void {
    const w = this.state.answers.workloads[index];
    if (!w) return;
    this.setAnswers(removeWorkload(this.state.answers, index), { notice: `Removed ${w.name}.` });
  }

  facts(): Map<string, NodeFacts> {
    const map = new Map<string, NodeFacts>();
    for (const [name, p] of Object.entries(this.state.probes)) if (p.status === 'ok') map.set(name, p.facts);
    return map;
  }

  review(): ReviewText {
    return review(this.state.answers, this.facts());
  }

  finish(choice: 'install' | 'save' | 'quit', interrupted = false): void {
    if (choice === 'quit') {
      const draftPath = this.flushDraft();
      return this.end({ action: 'quit', ...(draftPath ? { draftPath } : {}), ...(interrupted ? { interrupted: true as const } : {}) });
    }
    try {
      writeSpec(this.state.answers, this.options.specPath);
    } catch (error) {
      return this.set({ notice: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
    discardDraft(this.state.answers, this.env);
    this.end(choice === 'install' ? { action: 'apply', specPath: this.options.specPath } : { action: 'saved', specPath: this.options.specPath });
  }

  private end(result: WizardResult): void {
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.set({ result });
    this.resultResolve?.(result);
  }

  /** Ctrl-C: keep the draft, answer any open question with "no", and end. */
  interrupt(): void {
    if (this.pendingResolve) this.answerPending(this.state.pending?.kind === 'hostkey' ? false : undefined);
    this.finish('quit', true);
  }
}

export { SCREENS, type ScreenId };
