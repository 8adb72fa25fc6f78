// Colour on or off for the whole view (NO_COLOR, or a stream that is not a terminal). Components
// ask `tone(color)`: with colour off they pass no colour to Ink at all, and every state a colour
// would carry is also written in words or symbols (✓ ✗ "low" "CRITICAL").
import { createContext, useContext } from 'react';

export type ToneName = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

export const ColorContext = createContext<boolean>(true);

export function useTone(): (name: ToneName) => ToneName | undefined {
  const enabled = useContext(ColorContext);
  return (name) => (enabled ? name : undefined);
}

/** NO_COLOR (any non-empty value) turns colour off, as https://no-color.org asks. */
export function colorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
