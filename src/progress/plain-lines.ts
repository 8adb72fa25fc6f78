// Plain progress lines: one timestamped line per event, no control codes. Used when stdout is not a
// terminal (pipes, CI, logs) and for the log file that every run writes.
import type { RunEvent } from '../events.js';
import type { MemorySample } from '../monitor/memory.js';
import { formatDuration } from '../text/duration.js';

function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 19);
}

/** The line(s) for one event; `showOutput` includes every output line of running steps. */
export function plainLines(event: RunEvent, showOutput: boolean): string[] {
  const at = clock(event.time);
  switch (event.type) {
    case 'run-started':
      return [`${at} start: ${event.steps.length} steps on ${new Set(event.steps.map((s) => s.node)).size} nodes`];
    case 'step-started':
      return [`${at} ${event.step.node}  run   ${event.step.title}`];
    case 'step-output':
      return showOutput ? [`${at} ${event.step.node}  |     ${event.line}`] : [];
    case 'step-skipped':
      return [`${at} ${event.step.node}  skip  ${event.step.title} (${event.reason})`];
    case 'step-finished':
      return [`${at} ${event.step.node}  done  ${event.step.title} (${formatDuration(event.durationMs)})`];
    case 'step-retrying':
      return [`${at} ${event.step.node}  retry ${event.step.title} (${event.message}; attempt ${event.attempt})`];
    case 'step-failed':
      return [
        `${at} ${event.step.node}  FAIL  ${event.step.title}: ${event.message}${event.exitCode !== undefined && !event.message.includes('exit code') ? ` (exit code ${event.exitCode})` : ''}`,
        ...event.lastLines.map((line) => `${at} ${event.step.node}  |     ${line}`),
      ];
    case 'step-blocked':
      return [`${at} ${event.step.node}  not run  ${event.step.title} (${event.because})`];
    case 'run-finished':
      return [
        `${at} ${event.ok ? 'finished' : 'stopped'} after ${formatDuration(event.durationMs)}: ${event.done} run, ${event.skipped} already done, ${event.failed} failed, ${event.blocked} not run`,
      ];
  }
}

/** One node's memory as a plain line (every 30 s when stdout is not a terminal). */
export function plainMemoryLine(node: string, sample: MemorySample): string {
  const top = sample.top.slice(0, 4).map((p) => `${p.name}${p.count > 1 ? `x${p.count}` : ''} ${Math.round(p.rssMiB)}M`).join(', ');
  return `${clock(sample.time)} ${node}  memory ${Math.round(sample.usedMiB)}/${Math.round(sample.totalMiB)} MiB used, ${Math.round(sample.availableMiB)} MiB available${sample.swapTotalMiB > 0 ? `, swap ${Math.round(sample.swapUsedMiB)}/${Math.round(sample.swapTotalMiB)} MiB used` : ''}${top ? `; top: ${top}` : ''}`;
}
