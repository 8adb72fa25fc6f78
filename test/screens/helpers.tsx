// Rendering the wizard in tests: a fixed 80x24 frame without colours, keys one at a time, and a
// polling waitFor (ink 6 needs a few event-loop turns after input before the frame changes).
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { App } from '../../screens/wizard/App.js';
import { stateFiles } from '../../src/wizard/files.js';
import { WizardFlow, type WizardDeps } from '../../src/wizard/flow.js';
import type { Prober } from '../../src/wizard/probe.js';
import type { ScreenId } from '../../src/wizard/screen-ids.js';

export const KEY = { enter: '\r', esc: '\u001B', tab: '\t', shiftTab: '\u001B[Z', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', backspace: '\u007F', ctrlC: '\u0003' };

export async function tick(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
}

export interface FlowOptions extends Partial<Omit<WizardDeps, 'specPath' | 'files' | 'prober'>> {
  specPath: string;
  /** The state directory ($HOBBYKUBE_HOME): the real files module works in it. */
  env: NodeJS.ProcessEnv;
  prober: Prober;
}

/** A wizard flow on real files in a test folder, with a fake prober; drafts written at once. */
export function testFlow({ env, ...options }: FlowOptions): WizardFlow {
  return new WizardFlow({ draftDelayMs: 0, files: stateFiles(env), ...options });
}

export function mount(options: FlowOptions & { startScreen?: ScreenId }) {
  const { startScreen, ...rest } = options;
  const flow = testFlow(rest);
  if (startScreen) flow.go(startScreen);
  const r = render(<App flow={flow} color={false} size={{ columns: 80, rows: 24 }} />);
  const frame = () => stripVTControlCharacters(r.lastFrame() ?? '');
  const waitFor = async (check: string | RegExp | ((f: string) => boolean), timeoutMs = 30_000): Promise<string> => { // a bound for a frame that never comes
    const test = typeof check === 'function' ? check : (f: string) => (typeof check === 'string' ? f.includes(check) : check.test(f));
    const end = Date.now() + timeoutMs;
    for (;;) {
      await tick();
      const f = frame();
      if (test(f)) return f;
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(check)}; frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  /** Writes each key as its own event, letting the frame settle in between; strings are typed char by char. */
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      const chars = Object.values(KEY).includes(k) ? [k] : [...k];
      for (const c of chars) {
        r.stdin.write(c);
        await tick();
      }
    }
  };
  return { flow, ...r, frame, waitFor, press };
}
