// Pure text helpers for the progress view: durations, the memory bar, the sparkline, the layout
// budget. No Ink here, so they are tested as plain functions.
import type { MemorySample } from '../../src/monitor/memory.js';
import { formatDuration } from '../../src/text/duration.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** 0.4s, 12.3s, 1m05s, 1h02m (src/text/duration.ts, compact). */
export const duration = (ms: number): string => formatDuration(ms, { compact: true });

export function mib(n: number): string {
  return n >= 10_240 ? `${(n / 1024).toFixed(1)}G` : `${Math.round(n)}M`;
}

/** Cuts text to width columns with an ellipsis (the view's text is single-width characters). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export interface BarParts {
  /** Cells of used memory (before the mark is drawn). */
  used: string;
  free: string;
  /** The whole bar as one string. */
  text: string;
  /** Index of the reservation mark in text, or -1. */
  markAt: number;
}

/**
 * The memory bar: `█` used (total - available), `░` available, and `┃` where the kubelet's
 * reservation begins (allocatable: what the scheduler may give to pods; everything right of the
 * mark is kept for the system, the kubelet and the eviction threshold).
 */
export function memoryBar(usedMiB: number, totalMiB: number, allocatableMiB: number | undefined, width: number): BarParts {
  const w = Math.max(4, width);
  const share = totalMiB > 0 ? Math.min(1, Math.max(0, usedMiB / totalMiB)) : 0;
  const usedCells = Math.round(share * w);
  const cells: string[] = Array.from({ length: w }, (_, i) => (i < usedCells ? '█' : '░'));
  let markAt = -1;
  if (allocatableMiB !== undefined && totalMiB > 0 && allocatableMiB > 0 && allocatableMiB < totalMiB) {
    markAt = Math.min(w - 1, Math.max(0, Math.round((allocatableMiB / totalMiB) * w)));
    cells[markAt] = '┃';
  }
  const text = cells.join('');
  return { used: '█'.repeat(usedCells), free: '░'.repeat(w - usedCells), text, markAt };
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A sparkline of `values` (oldest first) scaled 0..max, `width` cells; longer histories are
 * folded into buckets by their maximum (peaks are what matter for memory).
 */
export function sparkline(values: readonly number[], max: number, width: number): string {
  if (values.length === 0 || width <= 0 || max <= 0) return '';
  const cells = Math.min(width, values.length);
  const out: string[] = [];
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * values.length) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / cells));
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, values[i]!);
    const level = Math.min(SPARKS.length - 1, Math.max(0, Math.round((peak / max) * (SPARKS.length - 1))));
    out.push(SPARKS[level]!);
  }
  return out.join('');
}

/** "kube-apiserver 240M · etcd 62M · containerd-shim×7 70M", cut to width at an entry boundary. */
export function topLine(top: MemorySample['top'], width: number): string {
  let line = '';
  for (const p of top) {
    const entry = `${p.name}${p.count > 1 ? `×${p.count}` : ''} ${mib(p.rssMiB)}`;
    const next = line ? `${line} · ${entry}` : entry;
    if (next.length > width) break;
    line = next;
  }
  return line;
}

export interface Layout {
  mode: 'full' | 'compact';
  /** Log tail lines per node panel. */
  tailLines: number;
  /** Last output lines shown for a failed step. */
  failureLines: number;
  width: number;
}

/**
 * The budget for the live area. Full: every step of every node is listed (no `<Static>`),
 * chosen only when it all fits. Compact: finished steps go to `<Static>` above, each node panel
 * shows its running step(s), memory bar, top processes and a tail that shares the remaining rows.
 * 80x24 with 3 nodes gives 4 tail lines per node.
 */
export function layoutFor(columns: number, rows: number, nodeCount: number, stepCount: number, mode: 'auto' | 'full' | 'compact' = 'auto'): Layout {
  const width = Math.max(40, Math.min(columns, 120));
  const nodes = Math.max(1, nodeCount);
  const header = 2;
  const fixedPerNode = 3; // title, memory bar, top processes
  const compactTail = Math.max(0, Math.min(8, Math.floor((rows - header - 1) / nodes) - fixedPerNode));
  const fullRows = header + nodes * (fixedPerNode + 8) + stepCount + 1;
  const chosen = mode === 'auto' ? (fullRows <= rows ? 'full' : 'compact') : mode;
  const tailLines = chosen === 'full' ? 8 : compactTail;
  return { mode: chosen, tailLines, failureLines: Math.max(3, Math.min(8, tailLines + 2)), width };
}
