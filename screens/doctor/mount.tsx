// Mounts doctor's live view on a terminal; unmount() draws the last frame and lets go.
import { render } from 'ink';
import type { DoctorStore } from '../../src/doctor/state.js';
import { colorFromEnv } from '../common/color.js';
import { DoctorView } from './DoctorView.js';

export interface MountedDoctorView {
  /** Draws the last frame (nothing when the store is done: the CLI prints the report there) and lets go. */
  unmount(): Promise<void>;
}

export function mountDoctorView(store: DoctorStore, options: { onQuit?: () => void; color?: boolean; stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream } = {}): MountedDoctorView {
  const instance = render(<DoctorView store={store} hideWhenDone color={options.color ?? colorFromEnv()} {...(options.onQuit ? { onQuit: options.onQuit } : {})} />, {
    maxFps: 10,
    patchConsole: false,
    exitOnCtrlC: false,
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  let done: Promise<void> | undefined;
  return {
    unmount() {
      done ??= (async () => {
        // Let React commit the last state (empty once done) before Ink draws its last frame.
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 0));
        instance.unmount();
        await instance.waitUntilExit().catch(() => undefined);
      })();
      return done;
    },
  };
}
