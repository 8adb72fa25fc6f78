// Small shared pieces of the wizard and menu screens: text in a tone (the colours follow
// screens/common/color.ts, so NO_COLOR turns them off), the footer of keys, a window onto wrapped
// lines, and list selection that keeps up with keys arriving faster than frames.
import { useRef, useState, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useColorEnabled, useTone, type ColorName } from '../common/color.js';

export type Tone = 'accent' | 'ok' | 'warn' | 'fail' | 'dim' | 'focus';

export const TONE_COLOR: Record<Tone, ColorName> = { accent: 'cyan', ok: 'green', warn: 'yellow', fail: 'red', dim: 'gray', focus: 'cyan' };

export function T({ tone, children, bold, inverse, wrap }: { tone?: Tone; children?: ReactNode; bold?: boolean; inverse?: boolean; wrap?: 'wrap' | 'truncate-end' }) {
  const color = useTone()(tone ? TONE_COLOR[tone] : undefined);
  const dimNoColor = !useColorEnabled() && tone === 'dim';
  return (
    <Text {...(color ? { color } : {})} {...(dimNoColor ? { dimColor: false } : {})} bold={bold ?? false} inverse={inverse ?? false} wrap={wrap ?? 'truncate-end'}>
      {children}
    </Text>
  );
}

export interface KeyHelp {
  key: string;
  does: string;
}

export function Footer({ keys }: { keys: KeyHelp[] }) {
  return (
    <Box height={1} flexShrink={0}>
      <T tone="dim">{keys.map((k) => `${k.key} ${k.does}`).join(' · ')}</T>
    </Box>
  );
}

export { wrapLine, wrapLines } from '../../src/text/wrap.js';

export function toneOf(line: string): Tone | undefined {
  const t = line.trimStart();
  if (t.startsWith('fail')) return 'fail';
  if (t.startsWith('warn')) return 'warn';
  if (t.startsWith('ok ')) return 'ok';
  return undefined;
}

/** A fixed-height window onto pre-wrapped lines, from `offset`. */
export function Pane({ lines, height, offset = 0 }: { lines: readonly string[]; height: number; offset?: number }) {
  const shown = lines.slice(offset, offset + Math.max(0, height));
  return (
    <Box flexDirection="column" height={Math.max(0, height)} flexShrink={0}>
      {shown.map((line, i) => (
        <T key={i} tone={toneOf(line)}>
          {line === '' ? ' ' : line}
        </T>
      ))}
    </Box>
  );
}

/**
 * A list's selection kept in a ref: keys may come faster than frames (a paste, tmux send-keys),
 * so each key handler reads `ref.current`, the latest selection, not the last render's.
 */
export function useSelection(count: number): [number, (n: number) => void, { current: number }] {
  const ref = useRef(0);
  const [, setTick] = useState(0);
  const set = (n: number) => {
    ref.current = Math.max(0, Math.min(count - 1, n));
    setTick((t) => t + 1);
  };
  return [Math.min(ref.current, Math.max(0, count - 1)), set, ref];
}
