// The wizard's one flow: its state and every decision both front ends ask for. The full-screen
// screens (screens/wizard/) render `getState()` and call the intents; the line-by-line prompts
// (plain.ts) call the same intents in order. Starting from the spec file or a draft, checking a
// node, the DNS prefill, saving a workload with its secret values, and finishing all happen here,
// once. What touches the world is injected by the command layer: the Prober (SSH), the files
// (files.ts) and, for the plain prompts, the Asker; without one, the transport's questions appear
// as `pending` in the state for the screens to draw (questions.ts).
import type { NodeFacts } from '../facts/types.js';
import { nodeErrorText } from '../ssh/types.js';
import type { WorkloadKind } from '../spec/types.js';
import { applyDns, applyIngress, applyNode, applyWelcome, applyWorkloadForm, nodeFromValues, nodesProblem, removeNode, removeWorkload, secretValues, type Answers } from './answers.js';
import type { WizardFiles } from './files.js';
import { DraftSaver, startState, type WizardDeps, type WizardResult, type WizardState } from './flow-state.js';
import { dnsForm, FormMemory, ingressForm, newWorkload, nodeForm, REGISTRY_TOKEN_KEY, welcomeForm, workloadForm, type FormModel, type Values } from './model.js';
import { Observable } from './observable.js';
import { canAcceptUndersized, judge, nodeSpecOf, type ProbeState } from './probe.js';
import { QuestionQueue } from './questions.js';
import { review, type ReviewText } from './review.js';
import { SCREENS, type ScreenId } from './screen-ids.js';
import { splitList } from './text-fields.js';

export type { DraftOffer, WizardDeps, WizardResult, WizardState } from './flow-state.js';

/** The screens that are one form each. */
export type SingleForm = 'welcome' | 'dns' | 'ingress';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class WizardFlow extends Observable<WizardState> {
  private readonly files: WizardFiles;
  private readonly questions = new QuestionQueue((pending) => this.update({ pending }));
  private readonly drafts: DraftSaver;
  /** Unsubmitted form values per form (node:new, workload:app:2 ...): Esc keeps them for next time. */
  readonly unsubmitted = new FormMemory();
  private resultResolve: ((r: WizardResult) => void) | undefined;
  readonly done: Promise<WizardResult>;
  readonly now: () => Date;
  readonly specPath: string;

  constructor(private readonly deps: WizardDeps) {
    super(startState(deps));
    this.files = deps.files;
    this.specPath = deps.specPath;
    this.now = deps.now ?? (() => new Date());
    this.drafts = new DraftSaver(deps.draftDelayMs ?? 250, () => this.writeDraft());
    this.done = new Promise((resolve) => (this.resultResolve = resolve));
    this.refreshStoredSecrets();
  }

  // ------------------------------------------------------------------ drafts

  private setAnswers(answers: Answers, patch: Partial<WizardState> = {}): void {
    this.update({ ...patch, answers });
    if (!this.state.result) this.drafts.schedule();
  }

  /** Saves the draft now (also on Ctrl-C and on exit). Returns its path. */
  flushDraft(): string | undefined {
    return this.drafts.flush();
  }

  private writeDraft(): string | undefined {
    if (this.deps.drafts === false) return undefined;
    if (this.state.draftOffer) return undefined; // not decided yet: do not overwrite the offered draft
    if (this.state.result && this.state.result.action !== 'quit') return undefined; // saved as a spec: no draft left behind
    try {
      return this.files.saveDraft(this.state.answers, this.state.screen, this.now());
    } catch {
      return undefined; // a draft that cannot be written must not end the wizard
    }
  }

  private refreshStoredSecrets(): void {
    const name = this.state.answers.cluster.name;
    if (name === '') return;
    try {
      this.update({ storedSecrets: this.files.storedSecretNames(name), storedRegistries: this.files.storedRegistryTokens(name) });
    } catch {
      // unreadable secrets file: the form asks for every value again
    }
  }

  /** `from`: where the front end goes on; the plain prompts walk every screen again from the welcome. */
  resumeDraft(resume: boolean, from?: ScreenId): void {
    const offer = this.state.draftOffer;
    if (!offer) return;
    if (!resume) return this.update({ draftOffer: undefined, notice: 'Starting fresh; the old draft is replaced as you go.' });
    const screen = from ?? (offer.screen === 'review' ? 'workloads' : offer.screen);
    this.update({ draftOffer: undefined, answers: offer.answers, screen, notice: `Resumed the draft of ${offer.name}.` });
    this.refreshStoredSecrets();
    if (screen !== 'welcome') for (const [i] of offer.answers.nodes.entries()) void this.checkNode(i);
  }

  // ------------------------------------------------------------------ moving, one-form screens

  go(screen: ScreenId): void {
    this.update({ screen, notice: undefined });
    if (!this.state.result) this.drafts.schedule();
  }

  back(): void {
    const i = SCREENS.indexOf(this.state.screen);
    if (i > 0) this.go(SCREENS[i - 1]!);
  }

  /** The form of a one-form screen for the current answers (DNS prefilled from the control plane). */
  form(id: SingleForm): FormModel {
    const a = this.state.answers;
    return id === 'welcome' ? welcomeForm(a) : id === 'dns' ? dnsForm(a, this.dnsPrefill()) : ingressForm(a);
  }

  /** Keeps a form's values without checking them (Esc, or as the person types). */
  keep(form: SingleForm, values: Values): void {
    const a = this.state.answers;
    const next = form === 'welcome' ? applyWelcome(a, values) : form === 'dns' ? applyDns(a, values) : applyIngress(a, values);
    this.setAnswers(next);
    if (next.cluster.name !== a.cluster.name) this.refreshStoredSecrets();
  }

  /** The form was submitted: keep its values and go on to the next screen. */
  submit(form: SingleForm, values: Values): void {
    this.keep(form, values);
    this.go(SCREENS[SCREENS.indexOf(form) + 1]!);
  }

  /** Esc on a form: keep its values and go back a screen (the welcome has none before it). */
  leave(form: SingleForm, values: Values): void {
    this.keep(form, values);
    if (form !== 'welcome') this.go(SCREENS[SCREENS.indexOf(form) - 1]!);
  }

  /** The control plane's real upstream resolvers, for prefilling the DNS question. */
  dnsPrefill(): string[] | undefined {
    const cp = this.state.answers.nodes.find((n) => n.role === 'control-plane');
    const probe = cp ? this.state.probes[cp.name] : undefined;
    if (probe?.status !== 'ok') return undefined;
    return probe.facts.dns.upstream.length > 0 ? probe.facts.dns.upstream : probe.facts.dns.nameservers;
  }

  // ------------------------------------------------------------------ nodes

  nodeForm(index: number | undefined): FormModel {
    return nodeForm(this.state.answers, index);
  }

  /** Saves a node form (index undefined: a new node), then checks the node; resolves with the check. */
  saveNode(index: number | undefined, values: Values): Promise<ProbeState | undefined> {
    const previous = index === undefined ? undefined : this.state.answers.nodes[index];
    const node = nodeFromValues(values, previous);
    const answers = applyNode(this.state.answers, index, node);
    const probes = { ...this.state.probes };
    if (previous && previous.name !== node.name) delete probes[previous.name];
    this.setAnswers(answers, { probes, notice: undefined });
    return this.checkNode(index ?? answers.nodes.length - 1);
  }

  removeNode(index: number): void {
    const node = this.state.answers.nodes[index];
    if (!node) return;
    const probes = { ...this.state.probes };
    delete probes[node.name];
    this.setAnswers(removeNode(this.state.answers, index), { probes, notice: `Removed ${node.name}.` });
  }

  /** Connects to the node, pins its host key (asking first), gathers facts and judges them. */
  async checkNode(index: number): Promise<ProbeState | undefined> {
    const node = this.state.answers.nodes[index];
    if (!node || this.state.answers.cluster.name === '') return undefined;
    this.update({ probes: { ...this.state.probes, [node.name]: { status: 'connecting', address: node.address } } });
    let next: ProbeState;
    try {
      const knownHosts = this.files.knownHosts(this.state.answers.cluster.name);
      const facts = await this.deps.prober(nodeSpecOf(node), this.deps.asker ? this.deps.asker(knownHosts) : this.questions.asker(), knownHosts);
      const current = this.state.answers.nodes.find((n) => n.name === node.name) ?? node;
      next = { status: 'ok', address: node.address, facts, verdict: judge(current, facts, this.state.answers.network) };
    } catch (error) {
      if (this.deps.isInterruption?.(error)) throw error;
      next = { status: 'error', address: node.address, error: nodeErrorText(node.name, error) };
    }
    // The node may have been edited or removed meanwhile: only record what still matches.
    const still = this.state.answers.nodes.find((n) => n.name === node.name);
    if (!still || still.address !== node.address) return undefined;
    this.update({ probes: { ...this.state.probes, [node.name]: next } });
    return next;
  }

  /** The small-node override on offer: 'accept' (a control plane below kubeadm's minimum), 'undo' (accepted). */
  undersizedOffer(index: number): 'accept' | 'undo' | undefined {
    const node = this.state.answers.nodes[index];
    if (!node) return undefined;
    if (node.acceptUndersized) return 'undo';
    const probe = this.state.probes[node.name];
    return canAcceptUndersized(node, probe?.status === 'ok' ? probe.verdict : undefined) ? 'accept' : undefined;
  }

  /** The small-node override: on (or off again) for a control plane below kubeadm's minimum. */
  toggleUndersized(index: number): void {
    const node = this.state.answers.nodes[index];
    if (!node || this.undersizedOffer(index) === undefined) return;
    const updated = { ...node, acceptUndersized: !node.acceptUndersized };
    const probe = this.state.probes[node.name];
    const probes = probe?.status === 'ok' ? { ...this.state.probes, [node.name]: { ...probe, verdict: judge(updated, probe.facts, this.state.answers.network) } } : this.state.probes;
    this.setAnswers(applyNode(this.state.answers, index, updated), {
      probes,
      notice: updated.acceptUndersized ? `${node.name} accepted as undersized: kubeadm will ignore its size checks.` : `${node.name}: undersized override removed.`,
    });
  }

  answerHostKey(accept: boolean): void {
    if (this.state.pending?.kind === 'hostkey') this.questions.answer(accept);
  }

  /** undefined: the person declined to give it. */
  answerSecret(value: string | undefined): void {
    if (this.state.pending?.kind === 'secret') this.questions.answer(value);
  }

  /** Leaving the nodes screen needs nodes and exactly one control plane. */
  continueFromNodes(): void {
    const problem = nodesProblem(this.state.answers);
    if (problem) return this.update({ notice: problem });
    this.go('dns');
  }

  // ------------------------------------------------------------------ workloads

  /** A workload's form; the secret values already stored for it may be left empty (kept). */
  workloadForm(kind: WorkloadKind, index: number | undefined): FormModel {
    const name = index === undefined ? undefined : this.state.answers.workloads[index]?.name;
    return workloadForm(this.state.answers, kind, index, { storedSecrets: name ? (this.state.storedSecrets[name] ?? []) : [], storedRegistries: this.state.storedRegistries, now: this.now });
  }

  /**
   * Saves a workload form (index undefined: a new one). Its secret values go to the files, only for
   * names the workload still lists; a renamed workload's stored values move to its new name.
   * The login of the image's registry updates its registry entry (its token goes to secrets.yaml,
   * never to the spec); entries no image uses any more are dropped.
   * Returns the problem when the values could not be stored (the workload is saved regardless).
   */
  saveWorkload(index: number | undefined, kind: WorkloadKind, values: Values): string | undefined {
    const answers = this.state.answers;
    const before = index === undefined ? newWorkload(answers, kind) : answers.workloads[index]!;
    const { answers: next, workload, registry } = applyWorkloadForm(answers, index, kind, values, before);
    const listed = new Set(splitList(workload.secretEnv));
    const secrets = Object.fromEntries(Object.entries(secretValues(values)).filter(([k]) => listed.has(k)));
    const token = values[REGISTRY_TOKEN_KEY] ?? '';
    let problem: string | undefined;
    try {
      this.files.storeWorkloadSecrets(answers.cluster.name, workload.name, secrets, index === undefined ? undefined : before.name);
      if (registry !== undefined && token !== '') this.files.storeRegistryToken(answers.cluster.name, registry, token);
    } catch (error) {
      problem = `could not store the secret values: ${message(error)}`;
    }
    this.setAnswers(next, { notice: problem ?? `Saved ${workload.name}.` });
    this.refreshStoredSecrets();
    return problem;
  }

  removeWorkload(index: number): void {
    const w = this.state.answers.workloads[index];
    if (!w) return;
    this.setAnswers(removeWorkload(this.state.answers, index), { notice: `Removed ${w.name}.` });
  }

  // ------------------------------------------------------------------ review, the end

  facts(): Map<string, NodeFacts> {
    const map = new Map<string, NodeFacts>();
    for (const [name, p] of Object.entries(this.state.probes)) if (p.status === 'ok') map.set(name, p.facts);
    return map;
  }

  review(): ReviewText {
    return review(this.state.answers, this.facts());
  }

  /** Install or save writes the spec (undefined when that failed: the notice says why); quit keeps the draft. */
  finish(choice: 'install' | 'save' | 'quit', interrupted = false): WizardResult | undefined {
    if (choice === 'quit') {
      const draftPath = this.flushDraft();
      return this.end({ action: 'quit', ...(draftPath ? { draftPath } : {}), ...(interrupted ? { interrupted: true as const } : {}) });
    }
    try {
      this.files.writeSpec(this.state.answers, this.specPath);
    } catch (error) {
      this.update({ notice: message(error).split('\n')[0] });
      return undefined;
    }
    if (this.deps.drafts !== false) this.files.discardDraft(this.state.answers);
    return this.end({ action: choice === 'install' ? 'apply' : 'saved', specPath: this.specPath });
  }

  private end(result: WizardResult): WizardResult {
    this.drafts.cancel();
    this.update({ result });
    this.resultResolve?.(result);
    return result;
  }

  /** Ctrl-C: keep the draft, answer any open question with "no", and end. */
  interrupt(): WizardResult {
    this.questions.decline();
    return this.finish('quit', true)!;
  }
}
