// Every failure a user can cause ends in one clear line and the documented exit code, never a
// stack trace or "unexpected error": output closed early, a control plane that cannot be reached
// (kubeconfig, --merge, plan, apply), --out paths that cannot be directories, a spec path that is
// a directory. The built CLI as a child process; nothing but 127.0.0.1 is contacted.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';

const looksLikeCrash = (text: string) => /\n\s+at |unexpected error|Error: [A-Z]+:|node:internal/.test(text);

/** A loopback port nothing listens on (bound, read, released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('failures a user can cause: one line, the documented exit code', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hk-failures-'));
    env = { HOBBYKUBE_HOME: join(dir, 'state'), HOME: dir, SSH_AUTH_SOCK: '' };
    port = await closedPort();
    const key = join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    writeFileSync(
      join(dir, 'hobbykube.yaml'),
      [
        'apiVersion: hobbykube.dev/v1alpha1',
        'kind: Cluster',
        'metadata: {name: home}',
        'spec:',
        '  nodes:',
        `    - {name: cp1, address: 127.0.0.1, role: control-plane, ssh: {user: root, port: ${port}, keyPath: ${key}}}`,
        `    - {name: w1, address: localhost, role: worker, ssh: {user: root, port: ${port}, keyPath: ${key}}}`,
        '  dns: {upstream: [1.1.1.1]}',
        '  workloads:',
        '    - {kind: worker, name: bot, image: "ghcr.io/me/bot:1.2"}',
        '',
      ].join('\n'),
    );
  });
  const cli = (...args: string[]) => runCli(args, { env, cwd: dir });
  const refused = `connection to root@127.0.0.1:${PORT_PLACEHOLDER} refused: no SSH server listening on port ${PORT_PLACEHOLDER}?`;
  const refusedAt = () => refused.replaceAll(PORT_PLACEHOLDER, String(port));

  it('standard output closed early (plan | head): exits 141 without a word', async () => {
    const child = spawn(process.execPath, [CLI, 'plan', '--offline'], { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line, as with `| head -0`
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });

  it.each([[['kubeconfig']], [['kubeconfig', '--merge']], [['kubeconfig', '--out', 'admin.kubeconfig']]])(
    '%j with the control plane unreachable names the node and the cause (exit 1), and writes nothing',
    (args) => {
      const r = cli(...args);
      expect(r.stderr).toBe(`error: cp1: ${refusedAt()}\n`);
      expect(r.code).toBe(1);
      expect(looksLikeCrash(r.stdout + r.stderr)).toBe(false);
    },
  );

  it('plan with the nodes unreachable names each node and the cause (exit 1)', () => {
    const r = cli('plan');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`cp1 (127.0.0.1, control-plane)\n  fail  ${refusedAt()}`);
    expect(r.stdout).toContain(`w1 (localhost, worker)\n  fail  connection to root@localhost:${port} refused`);
    expect(r.stderr).toBe('not ready: cp1, w1 need attention before apply (see above).\n');
    expect(looksLikeCrash(r.stdout + r.stderr)).toBe(false);
  });

  it('apply with the nodes unreachable: the same causes, one error line, nothing changed (exit 1)', () => {
    const r = cli('apply', '--yes');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  fail  ${refusedAt()}`);
    expect(r.stderr).toBe('error: cp1, w1 are not ready (see above). Nothing was changed.\n');
  });

  it.each([
    ['an existing file', 'hobbykube.yaml', (d: string) => `error: ${d}/hobbykube.yaml: exists and is not a directory\n`],
    ['a path under a file', 'hobbykube.yaml/plan', (d: string) => `error: ${d}/hobbykube.yaml/plan: a part of the path is a file, not a directory (ENOTDIR)\n`],
    ['a place that takes no directories', '/proc/hobbykube-plan', () => 'error: /proc/hobbykube-plan: cannot be created: the file system there takes no new directories (ENOENT)\n'],
  ])('plan --out %s: one line naming the path (exit 1), at once', (_what, out, message) => {
    const r = cli('plan', '--offline', '--out', out);
    expect(r.stderr).toBe(message(dir));
    expect(r.code).toBe(1);
  });

  it('-f naming a directory: one line naming the path (exit 1)', () => {
    const r = cli('plan', '--offline', '-f', dir);
    expect(r.stderr).toBe(`error: ${dir}: is a directory; expected the spec file (such as hobbykube.yaml)\n`);
    expect(r.code).toBe(1);
  });

  it('hobbykube --plain without a terminal says why --plain cannot help here (exit 2)', () => {
    const r = cli('--plain');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the wizard asks questions even with --plain, so it needs an interactive terminal, but standard input and standard output are not terminals.');
    expect(r.stderr).toContain('hobbykube apply -f hobbykube.yaml --yes');
    expect(r.stderr).toContain('Run hobbykube --plain in a terminal (not from a pipe or a script)');
    expect(r.stderr).not.toContain('For line-by-line questions in a terminal:');
  });

  it.each([
    [['add-worker', '--name', 'w9'], 'error: missing --address ADDRESS: the IP address or host name you reach it at over SSH\n'],
    [['add-worker', '--address', '192.0.2.9'], 'error: missing --name NAME: the new worker\'s name (e.g. w2)\n'],
    [['add-worker'], 'error: missing --name NAME and --address ADDRESS: the new worker\'s name (e.g. w2); the IP address or host name you reach it at over SSH\n'],
  ])('%j says exactly what is missing (exit 2)', (args, first) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0] + '\n').toBe(first);
  });
});

const PORT_PLACEHOLDER = '<port>';
