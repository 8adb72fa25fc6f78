// One question model, two front ends: the same answers typed into the Ink screens and given to the
// plain prompts write byte-identical spec files (and the same secrets file). Also: plain mode's
// Ctrl-C keeps the draft and ends without a stack trace.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { isPromptExit, runPlain } from '../../src/wizard/plain.js';
import { loadSpec } from '../../src/spec/file.js';
import { clusterPaths } from '../../src/state/paths.js';
import { loadSecretValues } from '../../src/state/secrets.js';
import { KEY, mount, testFlow } from '../screens/helpers.js';
import { fakeProber, scriptedPrompts, type ScriptStep } from './fakes.js';

afterEach(() => cleanup());

const BS = (n: number) => Array<string>(n).fill(KEY.backspace);
const DOWN = (n: number) => Array<string>(n).fill(KEY.down);

async function viaInk(dir: string): Promise<string> {
  const specPath = join(dir, 'hobbykube.yaml');
  const w = mount({ specPath, env: { HOBBYKUBE_HOME: join(dir, 'state') }, prober: fakeProber(), now: () => new Date('2026-09-01T10:00:00Z') });
  await w.waitFor('Cluster name');
  await w.press(KEY.enter, KEY.enter);
  await w.waitFor('Add a node');
  await w.press(KEY.tab, '192.0.2.10', KEY.tab, ...BS(4), 'ubuntu', KEY.tab, KEY.tab, '~/.ssh/id_ed25519', KEY.tab, KEY.tab, KEY.enter);
  await w.waitFor('New host key');
  await w.press('y');
  await w.waitFor(/cp1 .*ok/);
  await w.press('a');
  await w.waitFor('Add a node');
  await w.press(KEY.tab, '192.0.2.12', KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.enter);
  await w.waitFor('New host key');
  await w.press('y');
  await w.waitFor(/w1 .*ok/);
  await w.press(...DOWN(5), KEY.enter);
  await w.waitFor('DNS servers');
  await w.press(KEY.enter);
  await w.waitFor('Web apps');
  await w.press(KEY.right, KEY.tab, KEY.tab, 'me@example.com', KEY.tab, KEY.right, KEY.enter);
  await w.waitFor('What runs on the cluster');
  await w.press(KEY.enter);
  await w.waitFor('Add worker');
  // The image's registry login and its token (masked), then replicas, memory, command, env.
  await w.press(...BS(6), 'bot', KEY.tab, 'ghcr.io/me/bot:1.2', KEY.tab, 'me', KEY.tab, 'ghp-token-1', KEY.tab, KEY.tab, KEY.tab, KEY.tab, 'CHANNEL=general', KEY.tab, 'SLACK_TOKEN', KEY.tab, 'xoxb-1', KEY.enter);
  await w.waitFor(/worker\s+bot/);
  await w.press(...DOWN(2), KEY.enter);
  await w.waitFor('Add database');
  await w.press(KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter);
  await w.waitFor(/database\s+mysql/);
  await w.press(...DOWN(3), KEY.enter);
  await w.waitFor('Add app server');
  // The registry login (empty: keep me), then the database field (none, mysql): → picks mysql.
  await w.press(...BS(3), 'blog', KEY.tab, 'ghcr.io/me/blog:3', KEY.tab, KEY.tab, KEY.right, KEY.tab, ...BS(4), '3000', KEY.tab, 'blog.example.com', KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter);
  await w.waitFor(/app server\s+blog/);
  await w.press(...DOWN(4), KEY.enter);
  await w.waitFor('Add cron job');
  await w.press(...BS(3), 'cleanup', KEY.tab, 'busybox:1.36', KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, 'sh -c "echo done"', KEY.enter, KEY.enter, KEY.enter);
  await w.waitFor(/cron job\s+cleanup/);
  await w.press(...DOWN(9), KEY.enter);
  await w.waitFor('s save spec and quit');
  await w.press('s');
  expect(await w.flow.done).toEqual({ action: 'saved', specPath });
  return specPath;
}

const PLAIN_SCRIPT: ScriptStep[] = [
  { match: 'Cluster name', answer: '' },
  { match: 'Kubernetes version', answer: '' },
  { match: 'Node name', answer: '' },
  { match: 'Address', answer: '192.0.2.10' },
  { match: 'SSH user', answer: 'ubuntu' },
  { match: 'SSH port', answer: '' },
  { match: 'SSH private key', answer: '~/.ssh/id_ed25519' },
  { match: 'Role', answer: 'control-plane' },
  { match: 'Run workloads on the control plane', answer: 'no' },
  { match: 'Nodes', answer: 'add' },
  { match: 'Node name', answer: '' },
  { match: 'Address', answer: '192.0.2.12' },
  { match: 'SSH user', answer: '' },
  { match: 'SSH port', answer: '' },
  { match: 'SSH private key', answer: '' },
  { match: 'Role', answer: 'worker' },
  { match: 'Nodes', answer: 'continue' },
  { match: 'Upstream DNS servers', answer: '' },
  { match: 'Will you serve web apps', answer: 'yes' },
  { match: 'Which node receives web traffic', answer: 'w1' },
  { match: "Email for Let's Encrypt", answer: 'me@example.com' },
  { match: "Let's Encrypt environment", answer: 'staging' },
  { match: 'Workloads', answer: 'add:worker' },
  { match: 'Name of this worker', answer: 'bot' },
  { match: 'Container image', answer: 'ghcr.io/me/bot:1.2' },
  { match: 'Login for ghcr.io (empty: a public image)', answer: 'me' },
  { match: 'Token or password for ghcr.io', answer: 'ghp-token-1' },
  { match: 'Replicas', answer: '' },
  { match: 'Memory', answer: '' },
  { match: 'Command', answer: '' },
  { match: 'Environment', answer: 'CHANNEL=general' },
  { match: 'Secret variable names', answer: 'SLACK_TOKEN' },
  { match: 'Value of SLACK_TOKEN', answer: 'xoxb-1' },
  { match: 'Workloads', answer: 'add:database' },
  { match: 'Name of this database', answer: '' },
  { match: 'Which node keeps the data', answer: 'w1' },
  { match: 'Storage size', answer: '' },
  { match: 'MySQL image', answer: '' },
  { match: 'Login for docker.io', answer: '' },
  { match: 'Memory', answer: '' },
  { match: 'Workloads', answer: 'add:app' },
  { match: 'Name of this app server', answer: 'blog' },
  { match: 'Container image', answer: 'ghcr.io/me/blog:3' },
  { match: 'Login for ghcr.io (empty: keep me)', answer: '' },
  { match: 'Database it uses', answer: 'mysql' },
  { match: 'Port the app listens on', answer: '3000' },
  { match: 'Domain', answer: 'blog.example.com' },
  { match: 'Replicas', answer: '' },
  { match: 'Memory', answer: '' },
  { match: 'Environment', answer: '' },
  { match: 'Secret variable names', answer: '' },
  { match: 'Workloads', answer: 'add:cron' },
  { match: 'Name of this cron job', answer: 'cleanup' },
  { match: 'Container image', answer: 'busybox:1.36' },
  { match: 'Login for docker.io', answer: '' },
  { match: 'Database it uses', answer: '' },
  { match: 'Schedule', answer: '' },
  { match: 'Memory', answer: '' },
  { match: 'Command', answer: 'sh -c "echo done"' },
  { match: 'Environment', answer: '' },
  { match: 'Secret variable names', answer: '' },
  { match: 'Workloads', answer: 'continue' },
  { match: 'What now?', answer: 'save' },
];

const yesAsker = () => ({ confirmHostKey: async () => true, secret: async () => 'unused' });

describe('plain mode and the Ink screens share one question model', () => {
  it('the same answers write byte-identical spec files (and the same secrets)', async () => {
    const inkDir = mkdtempSync(join(tmpdir(), 'hk-ink-'));
    const inkSpec = await viaInk(inkDir);

    const plainDir = mkdtempSync(join(tmpdir(), 'hk-plain-'));
    const plainSpec = join(plainDir, 'hobbykube.yaml');
    const out: string[] = [];
    const script = [...PLAIN_SCRIPT];
    const result = await runPlain({
      flow: testFlow({ specPath: plainSpec, env: { HOBBYKUBE_HOME: join(plainDir, 'state') }, prober: fakeProber(), asker: yesAsker, isInterruption: isPromptExit, now: () => new Date('2026-09-01T10:00:00Z') }),
      prompts: scriptedPrompts(script),
      write: (t) => out.push(t),
    });
    expect(result).toEqual({ action: 'saved', specPath: plainSpec });
    expect(script).toHaveLength(PLAIN_SCRIPT.length); // (the scripted prompts keep their own copy)

    const inkText = readFileSync(inkSpec, 'utf8');
    expect(readFileSync(plainSpec, 'utf8')).toBe(inkText);
    expect(readFileSync(join(plainDir, 'state/home/secrets.yaml'), 'utf8')).toBe(readFileSync(join(inkDir, 'state/home/secrets.yaml'), 'utf8'));
    const spec = loadSpec(inkSpec);
    expect(spec.spec.nodes.map((n) => n.name)).toEqual(['cp1', 'w1']);
    expect(spec.spec.workloads.map((w) => w.kind)).toEqual(['worker', 'database', 'app', 'cron']);
    // The app was linked to the database in both front ends; the cron job chose none.
    expect(spec.spec.workloads.map((w) => (w.kind === 'database' ? '-' : (w.database ?? '')))).toEqual(['', '-', 'mysql', '']);
    expect(spec.spec.dns.upstream).toEqual(['203.0.113.53', '198.51.100.53']);
    expect(inkText).not.toContain('xoxb-1');
    expect(out.join('')).not.toContain('xoxb-1');
    // One registry entry for ghcr.io, asked with the first image from it; its token only in secrets.yaml.
    expect(spec.spec.registries).toEqual([{ name: 'ghcr-io', server: 'ghcr.io', username: 'me' }]);
    expect(inkText).not.toContain('ghp-token-1');
    expect(out.join('')).not.toContain('ghp-token-1');
    const secrets = loadSecretValues(clusterPaths('home', { HOBBYKUBE_HOME: join(inkDir, 'state') }));
    expect(secrets.registries).toEqual({ 'ghcr-io': 'ghp-token-1' });
    expect(statSync(join(inkDir, 'state/home/secrets.yaml')).mode & 0o777).toBe(0o600);
    expect(out.join('')).toContain('next runs: 2026-09-02 03:00 UTC');
  });

  it('Ctrl-C in a plain prompt keeps the draft and ends quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-plain-c-'));
    const out: string[] = [];
    const prompts = scriptedPrompts([
      { match: 'Cluster name', answer: 'lab' },
      { match: 'Kubernetes version', answer: '' },
    ]);
    const exit = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    const result = await runPlain({
      flow: testFlow({ specPath: join(dir, 'hobbykube.yaml'), env: { HOBBYKUBE_HOME: join(dir, 'state') }, prober: fakeProber(), asker: yesAsker, isInterruption: isPromptExit }),
      prompts: { ...prompts, input: (o) => (o.message === 'Node name' ? Promise.reject(exit) : prompts.input(o)) },
      write: (t) => out.push(t),
    });
    expect(result).toMatchObject({ action: 'quit', draftPath: join(dir, 'state/lab/draft.yaml'), interrupted: true });
    expect(out.join('')).toContain('Your answers are kept as a draft');
    expect(readFileSync(join(dir, 'state/lab/draft.yaml'), 'utf8')).toContain('name: lab');
  });
});
