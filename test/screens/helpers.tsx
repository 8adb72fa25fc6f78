// Rendering the wizard in tests: a fixed 80x24 frame without colours, keys one at a time, and a
// polling waitFor (ink 6 needs a few event-loop turns after input before the frame changes).
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { App } from '../../screens/wizard/App.js';
import { WizardStore, type WizardOptions } from '../../src/wizard/controller.js';

export const KEY = { enter: '\r', esc: '\u001B', tab: '\t', shiftTab: '\u001B[Z', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', backspace: '\u007F', ctrlC: '\u0003' };

export async function tick(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
}

export function mount(options: WizardOptions) {
  const store = new WizardStore({ draftDelayMs: 0, ...options });
  const r = render(<App store={store} color={false} size={{ columns: 80, rows: 24 }} />);
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
  return { store, ...r, frame, waitFor, press };
}
