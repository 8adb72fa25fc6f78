// A node's memory: bar (used / total, the kubelet reservation marked ┃), figures, swap in use when
// the node has swap, sparkline of the last minutes, and a second line naming the biggest processes.
import { Box, Text } from 'ink';
import { memoryLevel, memoryThresholds, type MemoryLevel } from '../../src/monitor/memory.js';
import type { NodeState } from '../../src/progress/state.js';
import { fit, memoryBar, mib, sparkline, topLine } from './format.js';
import { useTone, type ColorName } from '../common/color.js';

export interface MemoryLineProps {
  node: NodeState;
  width: number;
  /** Show the top-processes line. */
  showTop?: boolean;
  now: number;
}

export const LEVEL_WORD: Record<MemoryLevel, string> = { ok: '', warn: 'low', critical: 'CRITICAL' };
const LEVEL_TONE: Record<MemoryLevel, ColorName> = { ok: 'green', warn: 'yellow', critical: 'red' };
/** A sample older than this is shown as stale. */
export const STALE_MS = 10_000;

export function MemoryLine({ node, width, showTop = true, now }: MemoryLineProps) {
  const tone = useTone();
  const { latest, history, error, errorAt } = node.memory;
  if (!latest) {
    return (
      <Text wrap="truncate-end" dimColor>
        {fit(`  mem  ${error ? `sample failed: ${error}` : 'waiting for the first sample'}`, width)}
      </Text>
    );
  }
  const role = node.role ?? 'worker';
  const t = memoryThresholds(latest.totalMiB, role);
  const level = memoryLevel(latest, role);
  const barWidth = width >= 80 ? 24 : 16;
  const bar = memoryBar(latest.usedMiB, latest.totalMiB, t.allocatableMiB, barWidth);
  const figures = ` ${mib(latest.usedMiB)}/${mib(latest.totalMiB)}`;
  // A small worker's swapfile (src/node-profile.ts): how much of it is in use says more than RAM alone.
  const swap = latest.swapTotalMiB > 0 ? ` swap ${mib(latest.swapUsedMiB)}/${mib(latest.swapTotalMiB)}` : '';
  const reserved = t.reservations.systemReservedMiB + t.reservations.kubeReservedMiB + t.reservations.evictionHardMiB;
  const stale = (errorAt !== undefined && errorAt > latest.time) || now - latest.time > STALE_MS;
  const word = [LEVEL_WORD[level], stale ? 'stale' : ''].filter(Boolean).join(' ');
  const fixed = 7 + barWidth + figures.length + ` res ${mib(reserved)}`.length + swap.length + (word ? word.length + 1 : 0) + 1;
  const spark = sparkline(history, latest.totalMiB, Math.max(0, Math.min(20, width - fixed)));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {'  mem '}
        <Text color={tone(LEVEL_TONE[level])}>{bar.text}</Text>
        {figures}
        <Text dimColor>{` res ${mib(reserved)}`}</Text>
        {swap ? <Text dimColor>{swap}</Text> : ''}
        {spark ? ` ${spark}` : ''}
        {word ? <Text color={tone(LEVEL_TONE[level])} bold={level === 'critical'}>{` ${word}`}</Text> : ''}
      </Text>
      {showTop && latest.top.length > 0 ? (
        <Text wrap="truncate-end" dimColor>
          {`  ${topLine(latest.top, width - 2)}`}
        </Text>
      ) : null}
    </Box>
  );
}
