// Cron schedules as Kubernetes CronJobs read them (standard five fields, month and weekday
// names, @hourly-style macros), plus the next run times the wizard shows beside the field.

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
  /** How a message names it: "the minute (1st field)". */
  what: string;
  /** What it accepts, for the message. */
  accepts: string;
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59, what: 'the minute (1st field)', accepts: '0-59' },
  { min: 0, max: 23, what: 'the hour (2nd field)', accepts: '0-23' },
  { min: 1, max: 31, what: 'the day of the month (3rd field)', accepts: '1-31' },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], what: 'the month (4th field)', accepts: '1-12 or jan-dec' },
  // Kubernetes CronJobs take 0-6 only: 7 for Sunday, which some crons allow, is refused there.
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], what: 'the day of the week (5th field)', accepts: '0-6 (Sunday is 0) or sun-sat' },
];

const SHAPE = 'five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface ParsedSchedule {
  sets: Set<number>[];
  /** Day-of-month and day-of-week both restricted: a day matches when either does (as cron does). */
  domRestricted: boolean;
  dowRestricted: boolean;
}

function value(text: string, field: Field): number | undefined {
  const byName = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (byName >= 0) return byName + field.min;
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

function parseField(text: string, field: Field): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || extra !== undefined) return undefined;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText))) return undefined;
    let low: number | undefined;
    let high: number | undefined;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === undefined || b === undefined) return undefined;
      low = value(a, field);
      high = value(b, field);
    } else {
      low = value(range, field);
      high = stepText === undefined ? low : field.max;
    }
    if (low === undefined || high === undefined || low > high) return undefined;
    for (let n = low; n <= high; n += step) out.add(n);
  }
  return out.size > 0 ? out : undefined;
}

export function parseSchedule(schedule: string): ParsedSchedule | undefined {
  const expanded = MACROS[schedule.trim().toLowerCase()] ?? schedule;
  const parts = expanded.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i += 1) {
    const set = parseField(parts[i]!, FIELDS[i]!);
    if (!set) return undefined;
    sets.push(set);
  }
  const restricted = (text: string) => text !== '*' && text !== '?';
  return { sets, domRestricted: restricted(parts[2]!), dowRestricted: restricted(parts[4]!) };
}

/** undefined for a valid schedule, else what would be accepted, naming the field at fault. */
export const cronSchedule = (v: string): string | undefined => {
  if (parseSchedule(v)) return undefined;
  const expanded = MACROS[v.trim().toLowerCase()] ?? v;
  const parts = expanded.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5 || v.startsWith('@')) return `a cron schedule of ${SHAPE}`;
  const bad = parts.findIndex((part, i) => !parseField(part, FIELDS[i]!));
  const field = FIELDS[bad]!;
  return `${field.what} as ${field.accepts} (or *, a list a,b, a range a-b, a step */n), not ${JSON.stringify(parts[bad])}, in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"`;
};

function dayMatches(s: ParsedSchedule, date: Date): boolean {
  const dom = s.sets[2]!.has(date.getUTCDate());
  const dow = s.sets[4]!.has(date.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The next `count` run times after `from`, in UTC (CronJobs run in the controller's zone, UTC on kubeadm clusters). */
export function nextRuns(schedule: string, from: Date, count = 3): Date[] {
  const s = parseSchedule(schedule);
  if (!s) return [];
  const runs: Date[] = [];
  const t = new Date(from.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = from.getTime() + 8 * 366 * 24 * 3600 * 1000; // Feb 29 on a Monday can be years away
  while (runs.length < count && t.getTime() <= limit) {
    if (!s.sets[3]!.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!s.sets[1]!.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!s.sets[0]!.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      runs.push(new Date(t.getTime()));
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    }
  }
  return runs;
}
