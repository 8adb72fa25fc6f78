// The one way a duration is written for people: 0.4 s, 12.3 s, 1m05s, 1h02m. Plain lines, the
// summary, error messages and the live view all use it; the live view asks for the compact form
// (12.3s) to save a column.

export function formatDuration(ms: number, options: { compact?: boolean } = {}): string {
  const t = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (t < 60_000) return `${(t / 1000).toFixed(1)}${options.compact ? '' : ' '}s`;
  const s = Math.round(t / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
