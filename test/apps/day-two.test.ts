// Day two for the apps, on real sshd test hosts with recording doubles: a Rails-like app linked to
// the MySQL database (its own user, DATABASE_URL), pulled from a private registry, with a release
// command; then deploy, rollback, a failing release command, a failing rollout, logs and exec.
//
// What the doubles stand in for (test/hosts/README.md): the kubectl double runs a Job's command
// and an exec'd command as processes on the control plane with the pod's env, and a mysql client
// double keeps the database's users in the fake cluster's state; a private registry refuses pulls
// without the right login in the pod's imagePullSecrets; what images print, crash or exit with is
// declared here (bed.fakeImage). No real kernel, image or MySQL server is involved.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { CLI, runCliAsync, type CliResult } from '../support/cli.js';
import { startPane } from '../support/tmux.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';
import { acceptedLogins } from '../rerun/support.js';

const ROOT = join(import.meta.dirname, '../..');
const TOKEN = 'ghp_hkDAYtwoTOKEN0123456789abcdef';
const MIGRATED = '== 20261101120000 CreatePosts: migrated (0.0123s) ==';
const KC = 'kubectl --kubeconfig /etc/kubernetes/admin.conf -n default';

describe('day two: database link, private image, release, deploy, rollback, logs, exec (sshd test hosts, doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let cp: TestHost;
  let w1: TestHost;
  let env: NodeJS.ProcessEnv;
  const runs: Record<string, CliResult> = {};
  // The spec file option goes before "--" (exec passes everything after it on); logs' -f is --follow.
  const cli = (args: string[], input?: string) => {
    const dashes = args.indexOf('--');
    const file = [args[0] === 'logs' ? '--file' : '-f', spec.specPath];
    const argv = dashes < 0 ? [...args, ...file] : [...args.slice(0, dashes), ...file, ...args.slice(dashes)];
    return runCliAsync(argv, { env, cwd: spec.dir, ...(input !== undefined ? { input } : {}) });
  };
  const kubectl = async (args: string) => {
    const r = await cp.rootExec(`${KC} ${args}`);
    if (r.code !== 0) throw new Error(`kubectl ${args}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async (args: string) => JSON.parse(await kubectl(`${args} -o json`));
  const image = async () => (await json('get deployment blog')).spec.template.spec.containers[0].image as string;
  const specImage = () => (parse(readFileSync(spec.specPath, 'utf8')).spec.workloads as Array<{ name: string; image: string }>).find((w) => w.name === 'blog')!.image;
  const secrets = () => parse(readFileSync(join(spec.home, 'test', 'secrets.yaml'), 'utf8'));
  // The fake server's state (test/hosts/doubles/fake-mysqld.cjs) in the database's data directory, on w1's pod-visible disk.
  const mysqlServer = () => {
    const find = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? find(join(dir, e.name)) : e.name === 'state.json' && dir.endsWith('hobbykube-fake-mysqld') ? [join(dir, e.name)] : []));
    const [file, ...more] = find(join(bed.dir, 'shared', 'disks'));
    expect(more).toEqual([]);
    return JSON.parse(readFileSync(file!, 'utf8')) as { rootSha256: string; users: Record<string, { sha256: string; databases: string[]; attribute?: unknown }>; databases: Record<string, unknown> };
  };
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const createUserCalls = () => bed.hosts.flatMap((h) => h.recordings()).filter((r) => r.argv[0] === 'kubectl' && r.argv.includes('exec') && (r.stdin ?? '').includes('CREATE USER'));

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }]);
    [cp, w1] = bed.hosts as [TestHost, TestHost];
    bed.fakeRegistry('ghcr.io', { username: 'me', token: TOKEN });
    const ok = { 'bin/rails db:migrate': { exitCode: 0, output: [MIGRATED] } };
    bed.fakeImage('ghcr.io/me/blog:3', { runs: ok, logs: [{ text: 'Puma starting (an hour ago)', ageSeconds: 3600 }, 'Listening on http://0.0.0.0:3000'] });
    bed.fakeImage('ghcr.io/me/blog:4', { runs: ok });
    bed.fakeImage('ghcr.io/me/blog:5', {
      runs: { 'bin/rails db:migrate': { exitCode: 1, output: ['== 20261201090000 AddTitleToPosts: migrating ==', 'rails aborted!', "ActiveRecord::StatementInvalid: Mysql2::Error: Duplicate column name 'title'", 'Tasks: TOP => db:migrate'] } },
    });
    bed.fakeImage('ghcr.io/me/blog:6', { runs: ok, crashes: true });
    spec = writeBedSpec(bed);
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.registries = [{ name: 'ghcr', server: 'ghcr.io', username: 'me' }];
    doc.spec.workloads = [
      { kind: 'database', name: 'mysql', node: 'w1', storage: '1Gi', memory: '256Mi' },
      { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, memory: '128Mi', database: 'mysql', release: ['bin/rails', 'db:migrate'], env: { RAILS_ENV: 'production' } },
      { kind: 'cron', name: 'tidy', schedule: '@daily', image: 'busybox:1.36', command: ['sh', '-c', 'echo tidied $DATABASE_NAME'], memory: '16Mi', database: 'mysql' },
    ];
    writeFileSync(spec.specPath, stringify(doc));
    env = { ...spec.env, HOBBYKUBE_REGISTRY_GHCR_TOKEN: TOKEN };
    runs.first = await cli(['apply', '--yes']);
    runs.second = await cli(['apply', '--yes']);
  });
  afterAll(async () => bed?.stop());

  it('apply gives blog its own MySQL user and a Secret whose DATABASE_URL points at the database Service', async () => {
    expect(runs.first!.code, runs.first!.stdout.slice(-3000) + runs.first!.stderr).toBe(0);
    const password = secrets().databaseUsers.mysql.blog as string;
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const secret = await json('get secret blog-database');
    const values = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(values).toEqual({
      DATABASE_URL: `mysql2://blog:${password}@mysql.default.svc.cluster.local:3306/blog`,
      DATABASE_HOST: 'mysql.default.svc.cluster.local',
      DATABASE_PORT: '3306',
      DATABASE_NAME: 'blog',
      DATABASE_USER: 'blog',
      DATABASE_PASSWORD: password,
    });
    // The Service the URL names exists, in front of the database's pod.
    expect((await json('get service mysql')).spec.selector).toEqual({ 'app.kubernetes.io/name': 'mysql' });
    // The user is blog's own, not root: the (fake) server has it with that password, on blog's database only.
    const server = mysqlServer();
    expect(server.users['blog@%']).toEqual({ sha256: sha256(password), databases: ['blog'], attribute: { managedBy: 'hobbykube', workload: 'blog' } });
    expect(Object.keys(server.databases)).toContain('blog');
    expect(server.rootSha256).not.toBe(sha256(password));
    // The cron job has its own user too.
    expect(server.users['tidy@%']!.sha256).toBe(sha256(secrets().databaseUsers.mysql.tidy));
    // The pods read the link's Secret first in their env.
    const container = (await json('get deployment blog')).spec.template.spec.containers[0];
    expect(container.env[0]).toEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'blog-database', key: 'DATABASE_URL' } } });
    // And the running container sees it.
    const shown = await cli(['exec', 'blog', '--', 'printenv', 'DATABASE_URL']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(values.DATABASE_URL);
  });

  it('the user creation is recorded once across two applies (the second only checks that blog and tidy log in)', () => {
    expect(runs.second!.code, runs.second!.stderr).toBe(0);
    expect(runs.second!.stdout).toMatch(/Cluster is up\. 0 steps run/);
    const creates = createUserCalls();
    expect(creates.map((r) => (/CREATE USER IF NOT EXISTS '(\w+)'/.exec(r.stdin!) ?? [])[1]).sort()).toEqual(['blog', 'tidy']);
    // Logins as the users happened in both applies (probes), as the users themselves.
    const logins = bed.hosts.flatMap((h) => h.recordings()).filter((r) => r.argv[0] === 'mysql' && r.argv.some((a) => a === '--execute=SELECT 1'));
    expect(logins.length).toBeGreaterThanOrEqual(4);
  });

  it("a private-registry workload's pods carry the pull Secret, a dockerconfigjson with the owner's login for ghcr.io", async () => {
    const pods = await json('get pods -l app.kubernetes.io/name=blog');
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0].spec.imagePullSecrets).toEqual([{ name: 'registry.ghcr' }]);
    // The double refuses the pull without it: Running means the login was presented and right.
    expect(pods.items[0].status.phase).toBe('Running');
    const secret = await json('get secret registry.ghcr');
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'));
    expect(config.auths['ghcr.io'].username).toBe('me');
    expect(config.auths['ghcr.io'].auth).toBe(Buffer.from(`me:${TOKEN}`).toString('base64'));
    // Images elsewhere carry no pull Secret (tidy's busybox is on Docker Hub).
    expect((await json('get cronjob tidy')).spec.jobTemplate.spec.template.spec.imagePullSecrets).toBeUndefined();
    // The release Job ran with the new image and the same env, pull Secret included.
    const job = await json('get job blog-release');
    expect(job.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry.ghcr' }]);
    expect(job.spec.template.spec.containers[0].command).toEqual(['bin/rails', 'db:migrate']);
    expect(runs.first!.stdout).toContain(MIGRATED);
  });

  it('deploy -> rollback restores the previous image, touching only the control plane', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const logins = acceptedLogins(w1);
    const deploy = await cli(['deploy', 'blog', '--image', 'ghcr.io/me/blog:4']);
    expect(deploy.code, deploy.stdout.slice(-2000) + deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain('Deploying blog: ghcr.io/me/blog:3 -> ghcr.io/me/blog:4.');
    expect(deploy.stdout).toContain(MIGRATED);
    expect(deploy.stdout).toContain('Deployed. blog runs ghcr.io/me/blog:4');
    expect(await image()).toBe('ghcr.io/me/blog:4');
    expect(specImage()).toBe('ghcr.io/me/blog:4');
    // No survey, no command, not even a login on the worker.
    expect(w1.recordings()).toEqual([]);
    expect(acceptedLogins(w1)).toBe(logins);

    const rollback = await cli(['rollback', 'blog']);
    expect(rollback.code, rollback.stdout.slice(-2000) + rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('Rolling back blog: ghcr.io/me/blog:4 -> ghcr.io/me/blog:3');
    expect(rollback.stdout).not.toContain(MIGRATED); // no release command on the way back
    expect(await image()).toBe('ghcr.io/me/blog:3');
    expect(specImage()).toBe('ghcr.io/me/blog:3');
    // Nothing older to go back to now.
    const again = await cli(['rollback', 'blog']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no earlier image of blog to return to');
  });

  it('a failing release command leaves the old ReplicaSet serving and exits 1 naming the Job\'s last log lines', async () => {
    const before = await image();
    const r = await cli(['deploy', 'blog', '--image', 'ghcr.io/me/blog:5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("blog's release command (bin/rails db:migrate) failed (exit code 1): ghcr.io/me/blog:5 was not rolled out, the old version keeps serving");
    expect(r.stderr).toContain("  | ActiveRecord::StatementInvalid: Mysql2::Error: Duplicate column name 'title'");
    expect(r.stderr).toContain('  | Tasks: TOP => db:migrate');
    expect(r.stderr).toContain('ghcr.io/me/blog:5 was not rolled out: blog runs ghcr.io/me/blog:3; ');
    expect(await image()).toBe(before);
    // The ReplicaSet of the old template holds the replica; none was made for the new image.
    const sets = (await json('get replicasets -l app.kubernetes.io/name=blog')).items as Array<{ spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }>;
    const serving = sets.filter((s) => s.spec.replicas > 0);
    expect(serving.map((s) => s.spec.template.spec.containers[0]!.image)).toEqual(['ghcr.io/me/blog:3']);
    expect(sets.some((s) => s.spec.template.spec.containers[0]!.image === 'ghcr.io/me/blog:5')).toBe(false);
    const pods = await json('get pods -l app.kubernetes.io/name=blog');
    expect(pods.items.map((p: { spec: { containers: Array<{ image: string }> }; status: { phase: string } }) => [p.spec.containers[0]!.image, p.status.phase])).toEqual([['ghcr.io/me/blog:3', 'Running']]);
    expect(specImage()).toBe('ghcr.io/me/blog:3');
  });

  it('a rollout that does not become available is undone: the old image runs again and the spec keeps it', async () => {
    const r = await cli(['deploy', 'blog', '--image', 'ghcr.io/me/blog:6']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CrashLoopBackOff');
    expect(r.stderr).toContain('blog did not roll out with ghcr.io/me/blog:6: putting ghcr.io/me/blog:3 back...');
    expect(r.stderr).toContain('blog runs ghcr.io/me/blog:3 again.');
    expect(await image()).toBe('ghcr.io/me/blog:3');
    expect(specImage()).toBe('ghcr.io/me/blog:3');
  });

  it('logs: every pod of an app, --since and --tail; a cron job\'s last run; unknown names and flags are usage errors', async () => {
    const all = await cli(['logs', 'blog']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('Puma starting (an hour ago)\nListening on http://0.0.0.0:3000\n');
    expect((await cli(['logs', 'blog', '--since', '10m'])).stdout).toBe('Listening on http://0.0.0.0:3000\n');
    expect((await cli(['logs', 'blog', '--tail', '1'])).stdout).toBe('Listening on http://0.0.0.0:3000\n');
    const notYet = await cli(['logs', 'tidy']);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toContain('tidy is a cron job that has not run yet (schedule @daily, UTC)');
    // A run of the cron job (as the CronJob controller would start one), then its output.
    await kubectl('create job tidy-manual --from=cronjob/tidy');
    const last = await cli(['logs', 'tidy']);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toBe('tidied tidy\n');
    const unknown = await cli(['logs', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no workload named "nosuch" in the spec; expected one of mysql, blog, tidy');
    const badSince = await cli(['logs', 'blog', '--since', 'yesterday']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since: got "yesterday", expected a duration such as 30s, 10m or 2h');
  });

  it('logs --follow stops on Ctrl-C (exit 130) and leaves no kubectl running on the control plane', async () => {
    const { spawnCli } = await import('../support/cli.js');
    const child = spawnCli(['logs', 'blog', '--follow', '--file', spec.specPath], { env, cwd: spec.dir, stdin: 'ignore' });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.resume();
    const deadline = Date.now() + 60_000;
    while (!out.includes('Listening on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Listening on http://0.0.0.0:3000');
    expect((await cp.rootExec('pgrep -fc "[b]in/kubectl .* logs " || true')).stdout.trim()).toBe('1');
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    let left = '1';
    for (let i = 0; i < 100 && left !== '0'; i++) {
      left = (await cp.rootExec('pgrep -fc "[b]in/kubectl .* logs " || true')).stdout.trim();
      if (left !== '0') await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe('0');
  });

  it('exec passes stdin, stdout, stderr and the exit code through; the database is entered in its mysql container', async () => {
    const r = await cli(['exec', 'blog', '--', 'sh', '-c', 'cat; echo "to stderr" >&2; exit 7'], 'hello from stdin\n');
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('hello from stdin\n');
    expect(r.stderr).toContain('to stderr');
    expect(r.stderr).toContain('command terminated with exit code 7');
    const rails = await cli(['exec', 'blog', '--', 'bin/rails', 'db:migrate']);
    expect(rails.code).toBe(0);
    expect(rails.stdout).toContain(MIGRATED);
    const db = await cli(['exec', 'mysql', '--', 'sh', '-c', 'echo "$MYSQL_ROOT_PASSWORD" | wc -c']);
    expect(db.code, db.stderr).toBe(0);
    expect(Number(db.stdout.trim())).toBe(33); // the generated root password (32) and a newline: the mysql container's env
    const missing = await cli(['exec', 'blog', '--', 'no-such-program']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('executable file not found in $PATH');
    const noCommand = await cli(['exec', 'blog']);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('missing the command: put it after "--", such as hobbykube exec blog -- sh');
    const cron = await cli(['exec', 'tidy', '--', 'true']);
    expect(cron.code).toBe(1);
    expect(cron.stderr).toContain('tidy is a cron job and no run of it is going on');
  });

  it('exec from a terminal is interactive: a shell in the container over a pty, its exit code passed through (tmux)', requires(tmuxMissing()), async () => {
    const pane = startPane('hk-exec', `cd ${spec.dir} && HOBBYKUBE_HOME=${spec.home} SSH_AUTH_SOCK= node ${CLI} exec blog -f ${spec.specPath} -- sh; echo "EXIT=$?"; sleep 600`);
    try {
      await pane.keys('t:echo "db is $DATABASE_NAME"', 'Enter');
      await pane.waitScreen('db is blog');
      await pane.keys('t:tty >/dev/null && echo "a terminal"', 'Enter');
      await pane.waitScreen(/^a terminal/m);
      await pane.keys('t:exit 5', 'Enter');
      const screen = await pane.waitScreen(/EXIT=\d+/);
      expect(screen).toContain('EXIT=5');
    } finally {
      pane.kill();
    }
  });
});
