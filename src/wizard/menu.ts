// The menu `npx hobbykube` opens when the folder already has a spec: what it offers, where each
// choice leads, and what it resolves to (the CLI then runs the matching command). "Add a worker"
// uses the wizard flow's node form and node check (host key, facts, preflight), with answers kept
// in memory only. "Deploy a new version", "Roll back" and "Show logs" ask which workload (and
// deploy the image, checked by the spec's rule) and hand over to deploy, rollback and logs. The screens (screens/wizard/Menu.tsx) draw `MenuFlow`'s state and call its
// intents; no Ink and no I/O here (the object diff of "change workloads" is object-diff.ts).
import * as rules from '../spec/rules.js';
import type { ClusterSpec } from '../spec/types.js';
import type { NodeAnswers } from './answers.js';
import type { WizardFlow } from './flow.js';
import { check, type FormModel, type Values } from './form.js';
import { KIND_LABEL } from './workload-form.js';
import { Observable } from './observable.js';

export type MenuChoice = 'add-worker' | 'workloads' | 'deploy' | 'rollback' | 'logs' | 'status' | 'doctor' | 'upgrade' | 'kubeconfig' | 'remove-worker' | 'reset' | 'edit' | 'quit';

/** The choices that first ask which workload. */
export type WorkloadPurpose = 'deploy' | 'rollback' | 'logs';

/** How many of a workload's last log lines "Show logs" prints (`hobbykube logs NAME -f` follows). */
export const MENU_LOG_LINES = 100;

export interface MenuItem {
  value: MenuChoice;
  label: string;
  hint: string;
}

export const MENU_ITEMS: readonly MenuItem[] = [
  { value: 'add-worker', label: 'Add a worker', hint: 'Asks for the new node only, checks it, and joins it; the other workers only let it through their firewall.' },
  { value: 'workloads', label: 'Change workloads', hint: 'Edit, add or remove workloads with the wizard\'s forms; see the object diff and the plan, then roll out.' },
  { value: 'deploy', label: 'Deploy a new version', hint: 'One workload to a new image (or the same one restarted): capacity checked, only that workload rolled out, shown live.' },
  { value: 'rollback', label: 'Roll back', hint: 'One workload back to the image its last deploy replaced, the same way.' },
  { value: 'logs', label: 'Show logs', hint: `A workload's last ${MENU_LOG_LINES} log lines, every pod (a cron job's newest run); hobbykube logs NAME -f follows them.` },
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
  /** image: the new image, or the running one (a restart). */
  | { action: 'deploy'; workload: string; image: string }
  | { action: 'rollback'; workload: string }
  | { action: 'logs'; workload: string; tail: number }
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
  | { name: 'pick-workload'; purpose: WorkloadPurpose }
  | { name: 'image'; workload: string }
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

export const WORKLOAD_TITLES: Record<WorkloadPurpose, string> = {
  deploy: 'Deploy a new version of which workload?',
  rollback: 'Roll back which workload?',
  logs: 'Show the logs of which workload?',
};

/** Why a purpose offers no workload (shown instead of an empty list). */
export const WORKLOAD_EMPTY: Record<WorkloadPurpose, string> = {
  deploy: 'no app, worker or cron job in the spec (a database\'s image changes in hobbykube.yaml and apply)',
  rollback: 'no app, worker or cron job in the spec',
  logs: 'no workloads in the spec',
};

/** One line of the workload pick list. */
export interface WorkloadItem {
  label: string;
  workload: string;
}

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
    if (choice === 'deploy' || choice === 'rollback' || choice === 'logs') return this.update({ view: { name: 'pick-workload', purpose: choice } });
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

  // ---------------------------------------------------------------- deploy, roll back, logs

  /** Deploy and rollback offer what rolls (apps, workers, cron jobs; not databases); logs every workload. */
  workloadItems(purpose: WorkloadPurpose): WorkloadItem[] {
    const workloads = this.spec.spec.workloads.filter((w) => purpose === 'logs' || w.kind !== 'database');
    return workloads.map((w) => ({ label: `${w.name.padEnd(12)} ${KIND_LABEL[w.kind].padEnd(10)} ${w.image}`, workload: w.name }));
  }

  /** Deploy goes on to the image; rollback and logs hand over at once. */
  pickWorkload(purpose: WorkloadPurpose, item: WorkloadItem): void {
    if (purpose === 'deploy') return this.update({ view: { name: 'image', workload: item.workload } });
    if (purpose === 'rollback') return this.finish({ action: 'rollback', workload: item.workload });
    this.finish({ action: 'logs', workload: item.workload, tail: MENU_LOG_LINES });
  }

  /**
   * The image to deploy, prefilled with the running one: the spec's image rule (the one deploy
   * --image applies); the same image restarts an app or worker, and a cron job, which has no pods
   * to restart, needs a new one.
   */
  imageForm(workload: string): FormModel {
    const w = this.spec.spec.workloads.find((x) => x.name === workload);
    const current = w?.image ?? '';
    const cron = w?.kind === 'cron';
    return {
      id: 'menu-deploy-image',
      title: `Deploy ${workload}`,
      intro: [`Now running ${current}.`, cron ? 'A cron job\'s next run starts the new image.' : 'Keep the image to restart its pods with it.'],
      initial: { image: current },
      fields: () => [
        {
          key: 'image',
          label: 'Image',
          message: cron ? 'New image' : 'Image (the same: restart)',
          hint: 'A pinned reference such as ghcr.io/me/app:1.3; the release command (if any) runs first.',
          kind: 'text',
          validate: (v) => check(rules.image)(v) ?? (cron && v.trim() === current ? `expected a new image: ${workload} is a cron job, with no running pods to restart` : undefined),
        },
      ],
    };
  }

  submitImage(workload: string, values: Values): void {
    this.finish({ action: 'deploy', workload, image: (values.image ?? '').trim() });
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
