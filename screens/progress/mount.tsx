// Mounts the progress view on a terminal (liveDisplay in display.tsx does it for the CLI):
//
//   const store = createStore({ nodes });
//   const view = mountProgressView(store, { title: 'apply', logPath });
//   await runPlan(steps, ctx, { listener: store.listener });
//   await view.unmount();          // the last frame (the summary) stays on screen
import { render } from 'ink';
import type { Store } from '../../src/progress/store.js';
import { ProgressView, type ProgressIntent } from './ProgressView.js';
import { colorFromEnv } from '../common/color.js';

export interface MountOptions {
  title?: string;
  logPath?: string;
  /** Default: on unless NO_COLOR is set. */
  color?: boolean;
  /** Frame cap for Ink (default 10). */
  maxFps?: number;
  layout?: 'auto' | 'full' | 'compact';
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Fixed size (tests, benchmarks); default: the stdout's size, following resizes. */
  columns?: number;
  rows?: number;
  /** q / Esc / Ctrl-C pressed (status). Without it, the view reads no keys and leaves stdin alone. */
  onIntent?: (intent: ProgressIntent) => void;
  tickMs?: number;
}

export interface MountedView {
  /** Draws the final state, unmounts, and resolves once Ink has let go of the terminal. */
  unmount(): Promise<void>;
}

export function mountProgressView(store: Store, options: MountOptions = {}): MountedView {
  const color = options.color ?? colorFromEnv();
  const instance = render(
    <ProgressView
      store={store}
      color={color}
      {...(options.title !== undefined ? { title: options.title } : {})}
      {...(options.logPath !== undefined ? { logPath: options.logPath } : {})}
      {...(options.layout !== undefined ? { layout: options.layout } : {})}
      {...(options.columns !== undefined ? { columns: options.columns } : {})}
      {...(options.rows !== undefined ? { rows: options.rows } : {})}
      {...(options.onIntent !== undefined ? { onIntent: options.onIntent } : {})}
      {...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {})}
    />,
    {
      maxFps: options.maxFps ?? 10,
      patchConsole: false,
      exitOnCtrlC: false,
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.stderr ? { stderr: options.stderr } : {}),
    },
  );
  let done: Promise<void> | undefined;
  return {
    unmount() {
      done ??= (async () => {
        store.flush();
        // Let React commit the flushed state before Ink draws its last frame.
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 0));
        instance.unmount();
        await instance.waitUntilExit().catch(() => undefined);
      })();
      return done;
    },
  };
}
