// Mounts doctor's live view on a terminal; unmount() draws the last frame and lets go.
import { render } from 'ink';
import type { DoctorStore } from '../../src/doctor/state.js';
import { colorFromEnv } from '../progress/theme.js';
import { DoctorView } from './DoctorView.js';

export interface MountedDoctorView {
  unmount(options?: { clear?: boolean }): Promise<void>;
}

export function mountDoctorView(store: DoctorStore, options: { onQuit?: () => void; color?: boolean; stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream } = {}): MountedDoctorView {
  const instance = render(<DoctorView store={store} color={options.color ?? colorFromEnv()} {...(options.onQuit ? { onQuit: options.onQuit } : {})} />, {
    maxFps: 10,
    patchConsole: false,
    exitOnCtrlC: false,
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  let done: Promise<void> | undefined;
  return {
    unmount(unmountOptions = {}) {
      done ??= (async () => {
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 0));
        // The full report is printed after the view: the live frame is cleared first.
        if (unmountOptions.clear) instance.clear();
        instance.unmount();
        await instance.waitUntilExit().catch(() => undefined);
      })();
      return done;
    },
  };
}
