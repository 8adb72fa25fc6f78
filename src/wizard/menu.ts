// The menu `npx hobbykube` opens when the folder already has a spec: what it offers, where each
// choice leads, and what it resolves to (the CLI then runs the matching command). "Add a worker"
// uses the wizard flow's node form and node check (host key, facts, preflight), with answers kept
// in memory only. The screens (screens/wizard/Menu.tsx) draw `MenuFlow`'s state and call its
// intents; no Ink and no I/O here (the object diff of "change workloads" is object-diff.ts).
import type { ClusterSpec } from '../spec/types.js';
import type { NodeAnswers } from './answers.js';
import type { WizardFlow } from './flow.js';
import type { FormModel, Values } from './form.js';
import { Observable } from './observable.js';

export type MenuChoice = 'add-worker' | 'workloads' | 'status' | 'doctor' | 'upgrade' | 'kubeconfig' | 'remove-worker' | 'reset' | 'edit' | 'quit';

export interface MenuItem {
  value: MenuChoice;
  label: string;
  hint: string;
}

export const MENU_ITEMS: readonly MenuItem[] = [
  { value: 'add-worker', label: 'Add a worker', hint: 'Asks for the new node only, checks it, and joins it; the other workers only let it through their firewall.' },
  { value: 'workloads', label: 'Change workloads', hint: 'Edit, add or remove workloads with the wizard\'s forms; see the object diff and the plan, then roll out.' },
  { value: 'status', label: 'Status', hint: 'Nodes, memory and workloads, live (q to leave).' },
  { value: 'doctor', label: 'Doctor', hint: 'Checks nodes, DNS, memory, workloads and certificates; names what is wrong and the fix. Changes nothing.' },
  { value: 'upgrade', label: 'Upgrade Kubernetes', hint: 'To the next minor release, the control plane first, then one worker at a time; shows the plan and what is down while, then asks.' },
  { value: 'kubeconfig', label: 'Fetch kubeconfig', hint: 'The admin kubeconfig for your own kubectl: a file, or merged into ~/.kube/config.' },
  { value: 'remove-worker', label: 'Remove a worker', hint: 'Drain it, delete its Node, kubeadm reset on it, drop it from the spec.' },
  { value: 'reset', label: 'Reset', hint: 'kubeadm reset on one node or the whole cluster, after a confirmation naming what is wiped.' },
  { value: 'edit', label: 'Edit everything', hint: 'The full wizard on this spec (nodes, DNS, domains, workloads).' },
  { value: 'quit', label: 'Quit', hint: 'Leave without changing anything.' },
];

export type KubeconfigChoice = 'file' | 'merge';

/** What the menu hands to the CLI. */
export type MenuResult =
  | { action: 'add-worker'; node: NodeAnswers }
  | { action: 'workloads' }
  | { action: 'status' }
  | { action: 'doctor' }
  | { action: 'upgrade' }
  | { action: 'kubeconfig'; mode: KubeconfigChoice }
  | { action: 'remove-worker'; node: string }
  /** node undefined: the whole cluster. */
  | { action: 'reset'; node?: string }
  | { action: 'edit' }
  /** interrupted: Ctrl-C or a hang-up/termination signal, not the menu's own Quit (exit 130). */
  | { action: 'quit'; interrupted?: true };

/** Where the menu is: the main list, the new worker's form or check, a node to pick, the kubeconfig choice. */
export type MenuView =
  | { name: 'main' }
  | { name: 'node-form'; index: number | undefined }
  | { name: 'node-check'; index: number }
  | { name: 'pick'; purpose: 'remove-worker' | 'reset' }
  | { name: 'kubeconfig' };

export interface MenuState {
  view: MenuView;
  result?: MenuResult;
}

/** One line of a pick list; `node` undefined: the whole cluster. */
export interface PickItem {
  label: string;
  node?: string;
}

export const PICK_TITLES: Record<'remove-worker' | 'reset', string> = {
  'remove-worker': 'Which worker should leave the cluster?',
  reset: 'Reset which node?',
};

export class MenuFlow extends Observable<MenuState> {
  readonly done: Promise<MenuResult>;
  private resolve!: (result: MenuResult) => void;
  /** The spec's nodes; any beyond these were typed in the menu. */
  private readonly specNodes: number;

  /** `wizard` holds the spec's answers (drafts off); `kubeconfigPath` is where "write the kubeconfig" puts it. */
  constructor(
    readonly spec: ClusterSpec,
    readonly wizard: WizardFlow,
    readonly kubeconfigPath: string,
  ) {
    super({ view: { name: 'main' } });
    this.done = new Promise((r) => (this.resolve = r));
    this.specNodes = wizard.getState().answers.nodes.length;
  }

  summary(): string {
    const nodes = this.spec.spec.nodes;
    const workloads = this.spec.spec.workloads.length;
    return `${nodes.length} node${nodes.length === 1 ? '' : 's'} (${nodes.map((n) => n.name).join(', ')}), ${workloads} workload${workloads === 1 ? '' : 's'}`;
  }

  choose(choice: MenuChoice): void {
    if (choice === 'add-worker') return this.update({ view: { name: 'node-form', index: undefined } });
    if (choice === 'remove-worker' || choice === 'reset') return this.update({ view: { name: 'pick', purpose: choice } });
    if (choice === 'kubeconfig') return this.update({ view: { name: 'kubeconfig' } });
    this.finish({ action: choice });
  }

  toMain(): void {
    this.update({ view: { name: 'main' } });
  }

  // ---------------------------------------------------------------- add a worker

  nodeForm(index: number | undefined): FormModel {
    const form = this.wizard.nodeForm(index);
    return index === undefined ? { ...form, title: 'Add a worker' } : form;
  }

  /** Saves the node and checks it (the host key question shows over the check). */
  submitNode(index: number | undefined, values: Values): void {
    void this.wizard.saveNode(index, values);
    this.update({ view: { name: 'node-check', index: index ?? this.wizard.getState().answers.nodes.length - 1 } });
  }

  /** Esc on the node form: a new node is forgotten; an edited one goes back to its check. */
  leaveNodeForm(index: number | undefined): void {
    if (index === undefined) this.cancelNewNode();
    else this.update({ view: { name: 'node-check', index } });
  }

  editNode(index: number): void {
    this.update({ view: { name: 'node-form', index } });
  }

  recheck(index: number): void {
    void this.wizard.checkNode(index);
  }

  /** Leaves the add-worker path: the node typed so far is dropped from the in-memory answers. */
  cancelNewNode(): void {
    while (this.wizard.getState().answers.nodes.length > this.specNodes) this.wizard.removeNode(this.wizard.getState().answers.nodes.length - 1);
    this.toMain();
  }

  /** A checked node that passed preflight may join. */
  canJoin(index: number): boolean {
    const state = this.wizard.getState();
    const node = state.answers.nodes[index];
    const probe = node ? state.probes[node.name] : undefined;
    return probe?.status === 'ok' && probe.verdict.ok;
  }

  join(index: number): void {
    const node = this.wizard.getState().answers.nodes[index];
    if (node && this.canJoin(index)) this.finish({ action: 'add-worker', node });
  }

  // ---------------------------------------------------------------- pick a node, the kubeconfig

  /** remove-worker offers the workers; reset every node and then the whole cluster. */
  pickItems(purpose: 'remove-worker' | 'reset'): PickItem[] {
    const nodes = purpose === 'remove-worker' ? this.spec.spec.nodes.filter((n) => n.role === 'worker') : this.spec.spec.nodes;
    return [
      ...nodes.map((n) => ({ label: `${n.name.padEnd(10)} ${n.role.padEnd(14)} ${n.address}`, node: n.name })),
      ...(purpose === 'reset' ? [{ label: 'the whole cluster (every node, control plane last)' }] : []),
    ];
  }

  pick(purpose: 'remove-worker' | 'reset', item: PickItem): void {
    if (purpose === 'remove-worker') {
      if (item.node) this.finish({ action: 'remove-worker', node: item.node });
    } else this.finish({ action: 'reset', ...(item.node ? { node: item.node } : {}) });
  }

  kubeconfigItems(): Array<{ label: string; mode: KubeconfigChoice }> {
    return [
      { label: `write ${this.kubeconfigPath} (mode 0600)`, mode: 'file' },
      { label: `merge into your kubeconfig as context ${this.spec.metadata.name} (others kept, backup made)`, mode: 'merge' },
    ];
  }

  pickKubeconfig(mode: KubeconfigChoice): void {
    this.finish({ action: 'kubeconfig', mode });
  }

  /** q (interrupted false) or Ctrl-C / a hang-up (true: the CLI exits 130). */
  quit(interrupted = false): void {
    this.finish(interrupted ? { action: 'quit', interrupted: true } : { action: 'quit' });
  }

  /** The first result counts; keys after it change nothing. */
  private finish(result: MenuResult): void {
    if (this.state.result) return;
    this.update({ result });
    this.resolve(result);
  }
}
