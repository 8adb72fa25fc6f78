// Colour on or off for a whole view, shared by every screen (the wizard, the menu, the progress
// view): NO_COLOR, or a stream that is not a terminal, turns it off. Components ask `useTone()`:
// with colour off they pass no colour to Ink at all, and every state a colour would carry is also
// written in words or symbols (✓ ✗ "low" "CRITICAL" "fail").
import { createContext, useContext } from 'react';

export type ColorName = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

export const ColorContext = createContext<boolean>(true);

export function useColorEnabled(): boolean {
  return useContext(ColorContext);
}

/** The colour to draw in, or undefined when colour is off (or none was asked for). */
export function useTone(): (name: ColorName | undefined) => ColorName | undefined {
  const enabled = useContext(ColorContext);
  return (name) => (enabled ? name : undefined);
}

/** NO_COLOR (any non-empty value) turns colour off, as https://no-color.org asks. */
export function colorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
