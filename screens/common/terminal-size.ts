// The terminal's size for a full-screen view, redrawn on resize. A fixed size (tests, benchmarks)
// wins per dimension; with both fixed nothing listens for resizes.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(fixed: Partial<TerminalSize> = {}): TerminalSize {
  const { stdout } = useStdout();
  const read = () => ({ columns: fixed.columns ?? (stdout.columns || 80), rows: fixed.rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  const both = fixed.columns !== undefined && fixed.rows !== undefined;
  useEffect(() => {
    if (both) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed.columns, fixed.rows]);
  return both ? { columns: fixed.columns!, rows: fixed.rows! } : size;
}
