// The built CLI as a child process: help, version, usage errors, exit codes, invalid specs,
// the non-terminal refusal, and the rerun commands' usage errors (checked before any node is contacted).
import { createHash } from 'node:crypto';
import { mkdtempSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { runCli } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '../fixtures/specs');
const cwd = mkdtempSync(join(tmpdir(), 'hk-cli-'));
const home = mkdtempSync(join(tmpdir(), 'hk-cli-home-'));
const env = { HOBBYKUBE_HOME: home };

describe('hobbykube CLI', () => {
  it('--help lists every command and exits 0', () => {
    const r = runCli(['--help'], { env, cwd });
    expect(r.code).toBe(0);
    for (const command of ['apply', 'plan', 'add-worker', 'remove-worker', 'status', 'doctor', 'reset', 'kubeconfig', 'backup', 'restore']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage error or invalid spec, 130 interrupted (Ctrl-C),\n  141 the output was closed early (hobbykube plan | head).');
    // The wizard's own option is listed too (it has no command name to ask for help on).
    expect(r.stdout).toContain('Options of the wizard (hobbykube with no command):\n  --plain          ask line by line instead of full-screen');
  });

  it.each(['apply', 'plan', 'add-worker', 'remove-worker', 'status', 'doctor', 'reset', 'kubeconfig', 'backup', 'restore'])('%s --help shows its usage and exits 0', (command) => {
    const r = runCli([command, '--help'], { env, cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: hobbykube ${command}`);
    expect(r.stdout).toContain('-f, --file FILE');
  });

  it('--version prints the package version', () => {
    const r = runCli(['--version'], { env, cwd });
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(runCli(['-V'], { env, cwd }).stdout).toBe(`${pkg.version}\n`);
  });

  it('an unknown command exits 2 naming the accepted ones', () => {
    const r = runCli(['deploi'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown command "deploi"; expected one of apply, plan, add-worker, remove-worker, deploy, rollback, logs, exec, upgrade, status, doctor, reset, kubeconfig, backup, restore (or none, for the wizard)');
  });

  it('an unknown option exits 2 naming the accepted ones', () => {
    const r = runCli(['plan', '--frobnicate'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: hobbykube plan: unknown option --frobnicate; expected --file FILE, --yes, --offline, --memory MIB, --out DIR, -h/--help');
    expect(r.stderr).toContain('Run `hobbykube plan --help` for the options.');
  });

  it('an option missing its value exits 2', () => {
    const r = runCli(['plan', '-f'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: hobbykube plan: -f, --file needs a value; usage: hobbykube plan");
  });

  it('a stray argument exits 2', () => {
    const r = runCli(['plan', 'extra'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unexpected argument "extra"; usage: hobbykube plan');
  });

  it('plan -f bad.yaml prints every problem with line and column and exits 2', () => {
    const r = runCli(['plan', '-f', join(fixtures, 'bad-many.yaml')], { env, cwd });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`error: ${join(fixtures, 'bad-many.yaml')} has 17 problems:`);
    expect(lines.slice(1)).toHaveLength(17);
    for (const line of lines.slice(1)) expect(line).toMatch(/^  \S+bad-many\.yaml:\d+:\d+: \S+: /);
    expect(r.stderr).toContain('bad-many.yaml:7:88: spec.nodes[0].ssh.port: got 70000 (a number), expected a port number from 1 to 65535');
    expect(r.stdout).toBe('');
  });

  it('plan on broken YAML exits 2 with positions', () => {
    const r = runCli(['plan', '-f', join(fixtures, 'broken-yaml.yaml')], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken-yaml\.yaml:\d+:\d+: \(YAML syntax\): /);
  });

  it('a missing spec file exits 2 and says how to make one', () => {
    const r = runCli(['apply'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: hobbykube.yaml: no such file. Run `hobbykube` to create it with the wizard');
  });

  it('the wizard refuses without a terminal, pointing at apply -f and --plain (no stack trace)', () => {
    const r = runCli([], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the wizard needs an interactive terminal, but standard input and standard output are not terminals.');
    expect(r.stderr).toContain('hobbykube apply -f hobbykube.yaml --yes');
    expect(r.stderr).toContain('hobbykube --plain');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['add-worker', '--name', 'w9'], 'missing --address ADDRESS: the IP address or host name you reach it at over SSH'],
    [['add-worker', '--name', 'cp1', '--address', '192.0.2.9'], 'new node cp1.name: got "cp1", expected a name not used by another node'],
    [['remove-worker'], 'missing --name NAME'],
    [['remove-worker', '--name', 'cp1'], 'cp1 is the control plane'],
    [['kubeconfig', '--out', 'x', '--merge'], '--out and --merge exclude each other'],
  ])('%j is refused (exit 2) before any node is contacted', (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-cli-valid-'));
    copyFileSync(join(fixtures, 'minimal.yaml'), join(dir, 'hobbykube.yaml'));
    const r = runCli(args, { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reset names what it would wipe and, without a terminal or --yes, refuses (exit 2) and changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-cli-valid-'));
    copyFileSync(join(fixtures, 'minimal.yaml'), join(dir, 'hobbykube.yaml'));
    const r = runCli(['reset'], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('This deletes cluster tiny');
    expect(r.stdout).toContain('the cluster\'s database: /var/lib/etcd');
    expect(r.stderr).toContain('error: Reset the only node of tiny? Not in a terminal, so nothing can be asked: rerun with --yes to go ahead. Nothing was changed.');
    const unknown = runCli(['reset', '--node', 'w7'], { env, cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: --node "w7": no such node in hobbykube.yaml; expected one of cp1');
  });

  it('backup and restore refuse what they cannot use before any node is contacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-cli-valid-'));
    copyFileSync(join(fixtures, 'minimal.yaml'), join(dir, 'hobbykube.yaml'));
    const noFrom = runCli(['restore'], { env, cwd: dir });
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain('error: --from DIR is required: the backup directory to restore from (made by hobbykube backup)');
    const notBackup = runCli(['restore', '--from', dir], { env, cwd: dir });
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toBe(`error: ${dir}: no manifest.json: not a finished hobbykube backup (an interrupted one has none); nothing was loaded\n`);
    // An --out that holds something is never overwritten.
    const full = runCli(['backup', '--out', dir, '--yes'], { env, cwd: dir });
    expect(full.code).toBe(2);
    expect(full.stderr).toContain(`error: --out ${JSON.stringify(dir)}: is a directory that is not empty, expected a directory to create (or an empty one); nothing is overwritten`);
    expect(full.stderr).not.toMatch(/\n\s+at /);
  });

  it('restore checks the backup, names what it would overwrite, and without a terminal or --yes loads nothing (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-cli-restore-'));
    copyFileSync(join(fixtures, 'minimal.yaml'), join(dir, 'hobbykube.yaml'));
    const backup = join(dir, 'backup');
    mkdirSync(join(backup, 'databases', 'db'), { recursive: true });
    const dump = gzipSync("-- MySQL dump 10.13  Distrib 8.4.6, for Linux (x86_64)\n-- Current Database: `shop`\n-- Dump completed\n");
    writeFileSync(join(backup, 'databases', 'db', '20261128T030000Z.sql.gz'), dump);
    const file = { path: 'databases/db/20261128T030000Z.sql.gz', part: 'database-dump', bytes: dump.length, sha256: createHash('sha256').update(dump).digest('hex'), source: '/x', database: 'db', takenAt: '2026-11-28T03:00:00Z' };
    writeFileSync(join(backup, 'manifest.json'), JSON.stringify({ format: 'hobbykube-backup/v1', cluster: 'tiny', createdAt: '2026-11-28T03:00:01.000Z', hobbykube: '0.1.0', complete: true, files: [file], missing: [], notes: [] }));
    const check = runCli(['restore', '--from', backup, '--check'], { env, cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Verified: 1 files match the manifest (sizes and sha256).');
    // minimal.yaml has no database named db.
    const unknown = runCli(['restore', '--from', backup, '--yes'], { env, cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: the backup's dump of db has no database workload of that name in the spec");
    const named = runCli(['restore', '--from', backup, '--database', 'nosuch', '--yes'], { env, cwd: dir });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('error: --database "nosuch": no database workload of that name in the spec');
    const withDb = readFileSync(join(dir, 'hobbykube.yaml'), 'utf8').replace('role: control-plane', 'role: control-plane\n      schedulable: true');
    writeFileSync(join(dir, 'hobbykube.yaml'), `${withDb}  workloads:\n    - {kind: database, name: db, node: cp1}\n`);
    const asked = runCli(['restore', '--from', backup], { env, cwd: dir });
    expect(asked.stdout).toContain('  - database db on cp1: load its dump of 2026-11-28T03:00:00Z');
    expect(asked.stdout).toContain('Overwritten: shop: that database is dropped and recreated from the dump');
    expect(asked.stderr).toContain("error: Overwrite db with the backup's dump? Not in a terminal, so nothing can be asked: rerun with --yes to go ahead. Nothing was changed.");
    expect(asked.code).toBe(2);
  });

  it('NO_COLOR turns colour off even when forced', () => {
    const r = runCli(['deploi'], { env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' }, cwd });
    expect(r.stderr).not.toContain('\u001b[');
    const colored = runCli(['deploi'], { env: { ...env, FORCE_COLOR: '1' }, cwd });
    expect(colored.stderr).toContain('\u001b[31merror:');
  });
});
