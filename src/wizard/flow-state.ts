// The wizard flow's state and its start: the spec file being edited (or a broken one replaced),
// and a draft from an earlier run offered back. Also the draft saver: answers are written as the
// person goes, after a short pause, so a crash or a dropped terminal loses little.
import type { Asker } from '../ssh/types.js';
import { emptyAnswers, type Answers } from './answers.js';
import type { WizardFiles } from './files.js';
import type { ProbeState, Prober } from './probe.js';
import type { Pending } from './questions.js';
import type { ScreenId } from './screen-ids.js';

export type WizardResult =
  | { action: 'apply'; specPath: string }
  | { action: 'saved'; specPath: string }
  /** interrupted: Ctrl-C or a hang-up/termination signal rather than the wizard's own quit (exit 130). */
  | { action: 'quit'; draftPath?: string; interrupted?: true };

export interface DraftOffer {
  path: string;
  name: string;
  savedAt: string;
  /** savedAt for people: "2026-09-01 10:00 UTC", or "earlier" when unknown. */
  when: string;
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
  /** Registry names whose token secrets.yaml already keeps. */
  storedRegistries: string[];
  /** A draft from an earlier run, offered before anything else. */
  draftOffer?: DraftOffer;
  /** One line for the status bar (what just happened, or why something is refused). */
  notice?: string;
  /** Whether the spec file existed when the wizard started (editing it). */
  editing: boolean;
  result?: WizardResult;
}

export interface WizardDeps {
  specPath: string;
  files: WizardFiles;
  prober: Prober;
  /** How the transport asks (the plain prompts' terminal asker). Absent: questions become `pending`. */
  asker?: (knownHostsPath: string) => Asker;
  /** Errors from the asker that end the wizard instead of failing the node (Ctrl-C in a question). */
  isInterruption?: (error: unknown) => boolean;
  now?: () => Date;
  /** Milliseconds to wait after a change before saving the draft (0: at once; default 250). */
  draftDelayMs?: number;
  /** false: no draft is offered or written (the rerun menu keeps its answers in memory only). */
  drafts?: boolean;
}

/** The state the wizard opens with: the spec file's answers when it is valid, and any draft on offer. */
export function startState(deps: WizardDeps): WizardState {
  const start = deps.files.readSpec(deps.specPath);
  const draft = deps.drafts === false ? undefined : deps.files.findDraft();
  const notice =
    start.status === 'valid'
      ? `Editing ${deps.specPath}: saving changes only what you change.`
      : start.status === 'invalid'
        ? `${deps.specPath} has problems; starting fresh (saving keeps the old file as ${deps.specPath}.bak).`
        : undefined;
  const when = draft?.savedAt ? `${draft.savedAt.slice(0, 16).replace('T', ' ')} UTC` : 'earlier';
  return {
    screen: 'welcome',
    answers: start.status === 'valid' ? start.answers : emptyAnswers(),
    probes: {},
    storedSecrets: {},
    storedRegistries: [],
    editing: start.status === 'valid',
    ...(notice ? { notice } : {}),
    ...(draft ? { draftOffer: { path: draft.path, name: draft.answers.cluster.name, savedAt: draft.savedAt, when, screen: draft.screen, answers: draft.answers } } : {}),
  };
}

/** Writes the draft `delayMs` after the last change (0: at once), or now on `flush`. */
export class DraftSaver {
  private timer: NodeJS.Timeout | undefined;

  /** `write` saves the draft if it should (its path), or returns undefined. */
  constructor(
    private readonly delayMs: number,
    private readonly write: () => string | undefined,
  ) {}

  schedule(): void {
    this.cancel();
    if (this.delayMs === 0) return void this.flush();
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  flush(): string | undefined {
    this.cancel();
    return this.write();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
