import { describe, expect, it } from 'vitest';
import { nextRuns, parseSchedule } from '../../src/spec/cron.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 16));

describe('cron schedules', () => {
  const from = new Date('2026-11-25T15:10:00Z'); // a Wednesday

  it('computes the next three runs of common schedules', () => {
    expect(iso(nextRuns('0 3 * * *', from))).toEqual(['2026-11-26T03:00', '2026-11-27T03:00', '2026-11-28T03:00']);
    expect(iso(nextRuns('*/20 * * * *', from))).toEqual(['2026-11-25T15:20', '2026-11-25T15:40', '2026-11-25T16:00']);
    expect(iso(nextRuns('@weekly', from))).toEqual(['2026-11-29T00:00', '2026-12-06T00:00', '2026-12-13T00:00']);
    expect(iso(nextRuns('30 9 1 jan,jul *', from))).toEqual(['2027-01-01T09:30', '2027-07-01T09:30', '2028-01-01T09:30']);
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // the 1st of the month OR any Monday
    expect(iso(nextRuns('0 0 1 * mon', from))).toEqual(['2026-11-30T00:00', '2026-12-01T00:00', '2026-12-07T00:00']);
  });

  it('finds rare dates years ahead', () => {
    expect(iso(nextRuns('0 0 29 2 *', from, 2))).toEqual(['2028-02-29T00:00', '2032-02-29T00:00']);
  });

  it.each(['', '* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '*/0 * * * *', '5-1 * * * *', 'a b c d e', '@reboot', '1,,2 * * * *'])(
    'rejects %j',
    (schedule) => {
      expect(parseSchedule(schedule)).toBeUndefined();
      expect(nextRuns(schedule, from)).toEqual([]);
    },
  );
});
