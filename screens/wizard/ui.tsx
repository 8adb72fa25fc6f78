// Small shared pieces of the wizard screens: colours that follow NO_COLOR, the footer of keys,
// the size of the terminal (redrawn on resize), and plain-text wrapping for scrolled panes.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Text, useStdout } from 'ink';

export type Tone = 'accent' | 'ok' | 'warn' | 'fail' | 'dim' | 'focus';

const TONES: Record<Tone, string> = { accent: 'cyan', ok: 'green', warn: 'yellow', fail: 'red', dim: 'gray', focus: 'cyan' };

/** false when NO_COLOR is set: then nothing gets a colour, emphasis uses bold/inverse only. */
export const ColorContext = createContext(true);

export function useTone(): (tone: Tone | undefined) => string | undefined {
  const enabled = useContext(ColorContext);
  return (tone) => (enabled && tone ? TONES[tone] : undefined);
}

export function T({ tone, children, bold, inverse, wrap }: { tone?: Tone; children?: ReactNode; bold?: boolean; inverse?: boolean; wrap?: 'wrap' | 'truncate-end' }) {
  const color = useTone()(tone);
  const dimNoColor = !useContext(ColorContext) && tone === 'dim';
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

export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
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
