// Every script backup and restore run (on the nodes, and in the dump and database pods) passes
// shellcheck and `bash -n`; the small parsers read what those scripts and tools print.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  acmeSizeScript,
  databasePodScript,
  dumpFileFromLog,
  etcdSnapshotScript,
  freshDumpScript,
  listDumpsScript,
  loadDumpScript,
  parseDumpList,
  removeSnapshotScript,
} from '../../src/backup/scripts.js';
import { dumpTime, parseSnapshotStatus, partOfStep } from '../../src/backup/backup.js';
import { DUMP_SCRIPT, LOAD_SCRIPT } from '../../src/workloads/dump.js';
import { requires, shellcheckMissing } from '../support/requires.js';

const SCRIPTS: Array<[string, string]> = [
  ['dump (in the dump pod)', DUMP_SCRIPT],
  ['load (in the database pod)', LOAD_SCRIPT],
  ['etcd snapshot', etcdSnapshotScript()],
  ['remove the snapshot', removeSnapshotScript()],
  ['list dumps', listDumpsScript('mysql')],
  ['fresh dump', freshDumpScript('mysql', 'mysql-dump-tp7htu')],
  ['acme.json size', acmeSizeScript()],
  ['database pod', databasePodScript('mysql')],
  ['load a dump (control plane)', loadDumpScript('mysql')],
];

describe('backup and restore scripts', () => {
  it.each(SCRIPTS)('%s passes shellcheck', requires(shellcheckMissing()), (_name, text) => {
    const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(SCRIPTS)('%s is valid bash with the strict header', (_name, text) => {
    expect(text.startsWith('#!/usr/bin/env bash\nset -euo pipefail\n')).toBe(true);
    const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('a value in a script goes through the quoting helper', () => {
    // A hostile name cannot reach these scripts (names are validated), but if one did it stays one word.
    expect(freshDumpScript('mysql', "x'; touch /tmp/pwned; '")).toContain("job='x'\\''; touch /tmp/pwned; '\\'''");
  });
});

describe('what the scripts print, read back', () => {
  it('dump lists: names as the dump script writes them, oldest first; anything else ignored', () => {
    expect(parseDumpList('20261128T030000Z.sql.gz 820\n20261127T030000Z.sql.gz 810\n.20261129T030000Z.sql.gz.part 4\nnotes.txt 5\n\n')).toEqual([
      { name: '20261127T030000Z.sql.gz', bytes: 810 },
      { name: '20261128T030000Z.sql.gz', bytes: 820 },
    ]);
    expect(parseDumpList('')).toEqual([]);
  });

  it("the fresh dump's file, from its log line", () => {
    expect(dumpFileFromLog('job.batch/x created\ndumped 1 database(s) (shop) into 20261128T094106Z.sql.gz, 820 bytes; keeping the newest 7\n')).toBe('20261128T094106Z.sql.gz');
    expect(dumpFileFromLog('mysqldump: Got error: 1045')).toBeUndefined();
    expect(dumpTime('20261128T094106Z.sql.gz')).toBe('2026-11-28T09:41:06Z');
  });

  it("etcd's snapshot status after the mark (etcdutl 3.6, etcdctl 3.5 with its warning)", () => {
    expect(parseSnapshotStatus('Snapshot saved at /x\n#snapshot-status\n{"hash":1,"revision":9,"totalKey":13,"totalSize":25000,"version":"3.6.0"}\n')).toEqual({ hash: 1, revision: 9, totalKey: 13, totalSize: 25000, version: '3.6.0' });
    expect(parseSnapshotStatus('#snapshot-status\nDeprecated: Use `etcdutl snapshot status` instead.\n\n{"hash":2,"revision":3,"totalKey":4,"totalSize":5}\n')).toEqual({ hash: 2, revision: 3, totalKey: 4, totalSize: 5 });
    expect(parseSnapshotStatus('Snapshot saved at /x\n')).toBeUndefined();
  });

  it('a failed step names the part that is missing', () => {
    expect(partOfStep('w1/dump-mysql')).toEqual({ part: 'database-dump', what: 'the dump of mysql (from w1)' });
    expect(partOfStep('cp1/etcd-snapshot')).toEqual({ part: 'etcd-snapshot', what: 'the etcd snapshot (from cp1)' });
    expect(partOfStep('w1/acme')).toEqual({ part: 'acme', what: "Traefik's acme.json (from w1)" });
  });
});
