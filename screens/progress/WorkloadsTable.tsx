// Workloads after they are applied: kind, ready/desired, updated, and the reason when stuck.
// Fed from the store's `workloads` (WorkloadStatus, see src/progress/state.ts).
import { Box, Text } from 'ink';
import type { WorkloadStatus } from '../../src/progress/state.js';
import { fit } from './format.js';
import { useTone } from '../common/color.js';

export interface WorkloadsTableProps {
  workloads: readonly WorkloadStatus[];
  width: number;
  /** At most this many rows (the rest are counted in a last line). */
  maxRows?: number;
}

export type WorkloadHealth = 'ready' | 'progressing' | 'stuck';

export function workloadHealth(w: WorkloadStatus): WorkloadHealth {
  if (w.reason || w.dump?.overdue) return 'stuck';
  if (w.kind === 'CronJob') return 'ready';
  return w.ready >= w.desired && w.updated >= w.desired ? 'ready' : 'progressing';
}

const COLS = { name: 18, kind: 12, ready: 6, updated: 8 };

export function workloadRow(w: WorkloadStatus): string {
  const name = w.namespace && w.namespace !== 'default' ? `${w.namespace}/${w.name}` : w.name;
  const ready = w.kind === 'CronJob' ? `${w.ready} act` : `${w.ready}/${w.desired}`;
  const updated = w.kind === 'CronJob' ? '-' : String(w.updated);
  const health = workloadHealth(w);
  const note = w.reason ?? w.dump?.text ?? (health === 'progressing' ? 'rolling out' : '');
  return `${fit(name, COLS.name - 1).padEnd(COLS.name)}${w.kind.padEnd(COLS.kind)}${ready.padEnd(COLS.ready)}${updated.padEnd(COLS.updated)}${note}`;
}

export function WorkloadsTable({ workloads, width, maxRows = 12 }: WorkloadsTableProps) {
  const tone = useTone();
  if (workloads.length === 0) return null;
  const shown = workloads.slice(0, maxRows);
  const header = `${'NAME'.padEnd(COLS.name)}${'KIND'.padEnd(COLS.kind)}${'READY'.padEnd(COLS.ready)}${'UPDATED'.padEnd(COLS.updated)}REASON`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">{fit(`  ${header}`, width)}</Text>
      {shown.map((w) => {
        const health = workloadHealth(w);
        const symbol = health === 'ready' ? '✓' : health === 'stuck' ? '!' : '…';
        const color = health === 'ready' ? tone('green') : health === 'stuck' ? tone('yellow') : undefined;
        return (
          <Text key={`${w.kind}/${w.namespace ?? ''}/${w.name}`} wrap="truncate-end">
            <Text color={color}>{symbol}</Text>
            {fit(` ${workloadRow(w)}`, width - 1)}
          </Text>
        );
      })}
      {workloads.length > shown.length ? <Text dimColor>{`  … ${workloads.length - shown.length} more`}</Text> : null}
    </Box>
  );
}
