// Mounts the menu full-screen (alternate screen buffer) and resolves with the choice; the CLI
// then runs the matching command on the normal screen, where its plan and questions stay visible.
// The command layer builds the MenuFlow (and its wizard flow, whose answers stay in memory).
import type { MenuFlow, MenuResult } from '../../src/wizard/menu.js';
import { Menu } from './Menu.js';
import { runFullScreen } from './fullscreen.js';

export interface RunMenuOptions {
  menu: MenuFlow;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function runMenu({ menu, color, stdout, stdin }: RunMenuOptions): Promise<MenuResult> {
  return runFullScreen(<Menu menu={menu} color={color} />, {
    ...(stdout ? { stdout } : {}),
    ...(stdin ? { stdin } : {}),
    done: menu.done,
    onSignal: () => menu.quit(true),
    settleMs: 30,
  });
}
