// What every flow's phases share: the spec, the person running the command (Operator), the
// connections to the nodes (Session) and the progress display, all handed in by the command
// layer, which alone decides SSH, Ink or plain lines; and the values phases hand to later ones.
import type { NodeFacts } from '../facts/types.js';
import type { Lock } from '../install/lock.js';
import type { RunSummary } from '../install/runner.js';
import type { Step } from '../install/step.js';
import type { DisplayRequest, ProgressDisplay } from '../progress/display.js';
import type { Redactor } from '../redact.js';
import type { ClusterSpec, NodeSpec } from '../spec/types.js';
import type { ClusterPaths } from '../state/paths.js';
import type { Secrets } from '../state/secrets.js';
import type { HostSource } from '../ssh/types.js';
import type { Style } from '../text/style.js';
import type { RunLog } from './run-log.js';

export interface Output {
  write(text: string): void;
  isTTY: boolean;
  /** The terminal's width in columns, read at each use; absent when this is not a terminal. */
  readonly columns?: number | undefined;
}

/** The person running the command: where text goes and how they are asked. */
export interface Operator {
  /** Prose for the person: wrapped at word boundaries to a terminal's width. */
  readonly out: Output;
  readonly err: Output;
  /** Output for programs (JSON): written exactly as given, never wrapped. */
  readonly data: Output;
  readonly style: Style;
  /** --yes: every question is answered yes. */
  readonly assumeYes: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Yes or no before something changes (refuses where nobody can be asked and --yes is absent). */
  confirm(question: string): Promise<boolean>;
  /** A secret typed by the person, masked; absent where nobody can be asked. */
  readonly askSecret?: (question: string) => Promise<string>;
}

/** The spec, the state directory, a connection per node (opened on first use) and the redactor. */
export interface Session extends HostSource {
  spec: ClusterSpec;
  paths: ClusterPaths;
  redactor: Redactor;
  close(): Promise<void>;
}

export interface FlowState {
  /** Names the lock holder, the log file and the view's title ("apply", "reset" ...). */
  readonly command: string;
  readonly spec: ClusterSpec;
  readonly operator: Operator;
  /** Opens the connections to the nodes (the command layer's choice: SSH). */
  readonly openSession: (spec: ClusterSpec) => Session;
  /** Where a run's progress goes (the command layer's choice: the live view or plain lines). */
  readonly display: (request: DisplayRequest) => Promise<ProgressDisplay>;
  /** The nodes this flow concerns: surveyed, planned, watched. */
  nodes: NodeSpec[];
  /** Set by a phase to end the flow there (a refusal, not an error). */
  exitCode?: number;
  session?: Session;
  lock?: Lock;
  log?: RunLog;
  /** Aborted by Ctrl-C: the runner starts nothing new. */
  signal?: AbortSignal;
  facts?: Map<string, NodeFacts>;
  /** Every workload secret's value (fillSecrets). */
  secrets?: Secrets;
  steps?: Step[];
  summary?: RunSummary;
}
