// What a command handler gets: its parsed options and where to write, so handlers are testable
// without a real terminal.
import type { Output } from '../phases/flow.js';
import type { Style } from '../text/style.js';

export type { Output } from '../phases/flow.js';

export interface Context {
  command: string;
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Words after "--" for commands that pass them on (exec); empty otherwise. */
  rest: string[];
  /** The spec file path (-f), defaulting to hobbykube.yaml in the current folder. */
  specPath: string;
  assumeYes: boolean;
  stdout: Output;
  stderr: Output;
  stdinIsTTY: boolean;
  style: Style;
  env: NodeJS.ProcessEnv;
}
