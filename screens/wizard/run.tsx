// Mounts the wizard or the rerun menu full-screen (alternate screen buffer) and resolves with the
// result the CLI acts on. The command layer builds the flows; the menu's answers stay in memory.
import type { WizardFlow, WizardResult } from '../../src/wizard/flow.js';
import type { MenuFlow, MenuResult } from '../../src/wizard/menu.js';
import { App } from './App.js';
import { runFullScreen } from './fullscreen.js';
import { Menu } from './Menu.js';

/** Resolves with apply, saved, or quit (the draft is written before the screen is left). */
export function runWizard(flow: WizardFlow, color: boolean): Promise<WizardResult> {
  return runFullScreen(<App flow={flow} color={color} />, { done: flow.done, onSignal: () => flow.interrupt(), settleMs: 50, beforeUnmount: () => flow.flushDraft() });
}

/** Resolves with the menu's choice; the CLI then runs the command on the normal screen. */
export function runMenu(menu: MenuFlow, color: boolean): Promise<MenuResult> {
  return runFullScreen(<Menu menu={menu} color={color} />, { done: menu.done, onSignal: () => menu.quit(true), settleMs: 30 });
}
