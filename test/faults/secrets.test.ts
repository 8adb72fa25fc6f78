// Fault suites 5 and 1b on real sshd test hosts (recording doubles).
// Secrets: distinctive values (a secretEnv value from HOBBYKUBE_SECRET_<WORKLOAD>_<NAME>, the sudo
// password of the password-sudo user from HOBBYKUBE_SUDO_PASSWORD, the generated MySQL password)
// go through plan (--out), apply, status, backup, restore and reset; then every byte hobbykube
// wrote (captured stdout/stderr, logs, journal, plan --out files, the spec, every state file but
// secrets.yaml, every backup file but its copy of secrets.yaml and the etcd snapshot, which hold
// them by design, 0600) and every command line the doubles recorded are searched: zero
// occurrences. Secrets may travel only in the stdin of kubectl apply/create (Secret manifests).
// Files holding secrets are 0600.
// Accepted hostile values: plain env values and command words full of shell and YAML specials
// reach the cluster byte for byte (the Deployment / CronJob manifests the kubectl double received),
// and nothing they contain was executed.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type Recording, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli, type CliResult } from '../support/cli.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';
import { validateObject } from '../../src/spec/validate.js';

const kubectlYaml = createRequire(import.meta.url)('../hosts/doubles/k8s-yaml.cjs') as { parseStream(text: string): { docs: unknown[] } };

const SECRET_TOKEN = 'hkSECRET-tok3n-9f7c1e5a';
/** Plain values: every one must reach the cluster unchanged, none may run. */
const HOSTILE_ENV: Record<string, string> = {
  SUBST: '$(touch /tmp/hk-pwned-subst)',
  BACKTICK: '`touch /tmp/hk-pwned-tick`',
  SEMI: 'a; touch /tmp/hk-pwned-semi',
  QUOTES: `it's "quoted" \\ back\\slash`,
  NEWLINE: 'line one\nline two\n',
  YAML: '&anchor *alias !!binary {a: b} [x] - item: ? # not a comment',
  UNICODE: '日本語 🚀 \u202e Ａ',
  DASH: '--help',
  EMPTY: '',
  DOLLAR: '${HOME} $PATH %s',
  // What YAML 1.1 (kubectl's go-yaml) reads as booleans, numbers or null when written plain.
  YES: 'yes',
  ON: 'on',
  Y: 'y',
  OFF: 'Off',
  VERSION: '1.10',
  ZIP: '012345',
  OCTAL: '0o17',
  BIG: '12345678901234567890',
  TILDE: '~',
  NULLWORD: 'null',
  LEADING: '  two spaces',
  UNDERSCORE: '1_000',
  LINESEP: 'a\u2028b\u0085c',
};
const HOSTILE_COMMAND = ['sh', '-c', 'echo "$(date)" `id`; exit 0 # & * !!', '--', '-rf', "'", 'on', 'yes', '1.10', '~', '0o17'];

function walkFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('secrets never leak; hostile accepted values reach the cluster unchanged (sshd test hosts)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let env: NodeJS.ProcessEnv;
  const outputs: Record<string, CliResult> = {};
  let recordings: Recording[] = [];
  let stateDir: string;
  let planOut: string;
  let backupDir: string;
  let mysqlPassword = '';
  let sudoPassword = '';

  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 1970 }, { name: 'w2', memTotalMb: 1970 }]);
    sudoPassword = bed.users.sudoPassword;
    spec = writeBedSpec(bed);
    stateDir = join(spec.home, 'test');
    planOut = join(spec.dir, 'plan-out');
    backupDir = join(spec.dir, 'backup');
    const raw = {
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'test' },
      spec: {
        kubernetesVersion: '1.37',
        nodes: bed.hosts.map((h, i) => ({
          name: h.name,
          address: h.address,
          role: i === 0 ? 'control-plane' : 'worker',
          // w2 logs in as the user whose sudo needs a password.
          ssh: { user: i === 2 ? bed.users.password : bed.users.nopasswd, keyPath: bed.keyPath },
        })),
        dns: { upstream: ['203.0.113.53'] },
        workloads: [
          { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi', env: HOSTILE_ENV, secretEnv: ['API_TOKEN'] },
          { kind: 'database', name: 'mysql', node: 'w1', storage: '1Gi', memory: '256Mi' },
          { kind: 'cron', name: 'tidy', schedule: '@daily', image: 'busybox:1.36', command: HOSTILE_COMMAND, memory: '16Mi' },
        ],
      },
    };
    const checked = validateObject(raw);
    expect(checked.problems).toEqual([]);
    writeFileSync(spec.specPath, stringify(raw));
    env = { ...spec.env, HOBBYKUBE_SECRET_BOT_API_TOKEN: SECRET_TOKEN, HOBBYKUBE_SUDO_PASSWORD: sudoPassword };
    const cli = (name: string, args: string[]) => {
      outputs[name] = runCli(args, { env, cwd: spec.dir });
    };
    cli('plan', ['plan', '-f', spec.specPath, '--yes', '--out', planOut]);
    cli('apply', ['apply', '-f', spec.specPath, '--yes']);
    const secrets = readFileSync(join(stateDir, 'secrets.yaml'), 'utf8');
    mysqlPassword = /(?:password|PASSWORD)\w*: ?"?([^"\n]+)"?/.exec(secrets)?.[1] ?? '';
    cli('apply-again', ['apply', '-f', spec.specPath, '--yes']);
    cli('plan-after', ['plan', '-f', spec.specPath, '--yes', '--out', `${planOut}-2`]);
    cli('status', ['status', '-f', spec.specPath, '--once']);
    cli('backup', ['backup', '-f', spec.specPath, '--yes', '--out', backupDir]);
    cli('restore', ['restore', '-f', spec.specPath, '--yes', '--from', backupDir]);
    recordings = bed.hosts.flatMap((h) => h.recordings());
    cli('reset', ['reset', '-f', spec.specPath, '--yes']);
    recordings.push(...bed.hosts.flatMap((h) => h.recordings().slice(0)));
  });
  afterAll(async () => bed?.stop());

  it('the runs worked and the secrets are real', () => {
    expect(outputs.plan!.code, outputs.plan!.stderr).toBe(0);
    expect(outputs.apply!.code, outputs.apply!.stderr + outputs.apply!.stdout.slice(-2000)).toBe(0);
    expect(outputs['apply-again']!.code).toBe(0);
    expect(outputs.reset!.code, outputs.reset!.stderr).toBe(0);
    expect(outputs.backup!.code, outputs.backup!.stderr + outputs.backup!.stdout).toBe(0);
    expect(outputs.restore!.code, outputs.restore!.stderr + outputs.restore!.stdout).toBe(0);
    expect(mysqlPassword.length).toBeGreaterThanOrEqual(16);
    // The secret values did reach the cluster (in stdin of kubectl), so their absence elsewhere means something.
    const stdins = recordings.map((r) => r.stdin ?? '').join('\n');
    expect(stdins.includes(SECRET_TOKEN) || stdins.includes(Buffer.from(SECRET_TOKEN).toString('base64'))).toBe(true);
  });

  const secretForms = () => {
    const values = [SECRET_TOKEN, sudoPassword, mysqlPassword];
    return values.flatMap((v) => [v, Buffer.from(v).toString('base64')]);
  };

  it('no secret in any byte hobbykube wrote: stdout/stderr of every run, logs, journal, plan --out, spec, state files', () => {
    const leaks: string[] = [];
    for (const [name, r] of Object.entries(outputs)) for (const s of secretForms()) if ((r.stdout + r.stderr).includes(s)) leaks.push(`${name} output holds ${s.slice(0, 6)}…`);
    // The backup's copy of secrets.yaml and its etcd snapshot hold the secrets by design (checked below).
    const backupFiles = walkFiles(backupDir).filter((f) => f !== join(backupDir, 'secrets.yaml') && f !== join(backupDir, 'etcd', 'snapshot.db'));
    expect(backupFiles.some((f) => f.endsWith('.sql.gz')) && backupFiles.some((f) => f.endsWith('manifest.json'))).toBe(true);
    const files = [...walkFiles(stateDir).filter((f) => !f.endsWith('secrets.yaml')), ...walkFiles(planOut), ...walkFiles(`${planOut}-2`), ...backupFiles, spec.specPath];
    expect(files.some((f) => f.includes('/logs/'))).toBe(true);
    expect(files.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    expect(files.some((f) => f.startsWith(planOut) && f.endsWith('.sh'))).toBe(true);
    for (const f of files) {
      const raw = readFileSync(f);
      const text = f.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      for (const s of secretForms()) if (text.includes(s)) leaks.push(`${f} holds ${s.slice(0, 6)}…`);
    }
    expect(leaks).toEqual([]);
  });

  it('the backup keeps secrets only in its 0600 secrets.yaml and etcd snapshot, in a 0700 directory', () => {
    expect((statSync(backupDir).mode & 0o777).toString(8)).toBe('700');
    for (const f of walkFiles(backupDir)) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    const secrets = readFileSync(join(backupDir, 'secrets.yaml'), 'utf8');
    expect(secrets).toContain(SECRET_TOKEN);
    expect(secrets).toContain(mysqlPassword);
    // The snapshot is the cluster's etcd: the Secret objects are in it (as in a real etcd without encryption at rest).
    expect(readFileSync(join(backupDir, 'etcd', 'snapshot.db'), 'latin1')).toContain(Buffer.from(SECRET_TOKEN).toString('base64'));
  });

  it('no secret on any command line the doubles recorded, nor in files they were given; only in kubectl stdin', () => {
    const leaks: string[] = [];
    for (const r of recordings) {
      const argv = r.argv.join(' ');
      for (const s of secretForms()) {
        if (argv.includes(s)) leaks.push(`${r.host}: argv ${r.argv.slice(0, 3).join(' ')} holds ${s.slice(0, 6)}…`);
        for (const [path, content] of Object.entries(r.files ?? {})) if (content.includes(s)) leaks.push(`${r.host}: file ${path} given to ${r.argv[0]} holds ${s.slice(0, 6)}…`);
        if ((r.stdin ?? '').includes(s) && !(r.argv[0] === 'kubectl' && r.argv.some((a) => a === 'apply' || a === 'create' || a === 'diff'))) {
          leaks.push(`${r.host}: stdin of ${r.argv.slice(0, 3).join(' ')} holds ${s.slice(0, 6)}…`);
        }
      }
    }
    expect(recordings.length).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  });

  it('files that hold secrets or the kubeconfig are 0600, the state directory 0700', () => {
    expect((statSync(join(stateDir, 'secrets.yaml')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(stateDir).mode & 0o777).toString(8)).toBe('700');
    for (const f of walkFiles(join(stateDir, 'logs'))) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    // admin.conf is removed by the whole-cluster reset; check it as apply left it (another apply recreates it).
    const again = runCli(['apply', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
    expect(again.code).toBe(0);
    expect((statSync(join(stateDir, 'admin.conf')).mode & 0o777).toString(8)).toBe('600');
  });

  it('hostile plain env values and command words reach the cluster byte for byte, and none of them ran', async () => {
    // Read as kubectl reads it (go-yaml, YAML 1.1), not as YAML 1.2: `on` unquoted would be true.
    const applied = recordings.filter((r) => r.argv[0] === 'kubectl' && r.argv.includes('apply') && r.stdin);
    const docs = applied.flatMap((r) => kubectlYaml.parseStream(r.stdin!).docs as Array<Record<string, any>>).filter(Boolean);
    const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata?.name === 'bot');
    expect(deployment, 'the bot Deployment was applied').toBeDefined();
    const container = deployment!.spec.template.spec.containers[0];
    const envOut = Object.fromEntries((container.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    for (const [k, v] of Object.entries(HOSTILE_ENV)) expect(envOut[k], k).toBe(v);
    const cron = docs.find((d) => d.kind === 'CronJob' && d.metadata?.name === 'tidy');
    expect(cron).toBeDefined();
    const words = cron!.spec.jobTemplate.spec.template.spec.containers[0];
    expect([...(words.command ?? []), ...(words.args ?? [])]).toEqual(HOSTILE_COMMAND);
    // And what the (fake) cluster stored from it, as the control plane's kubectl shows it.
    const cp = bed.hosts[0]!;
    const stored = JSON.parse((await cp.rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf -n default get deployment bot -o json')).stdout);
    const storedEnv = Object.fromEntries(stored.spec.template.spec.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(storedEnv).toEqual(HOSTILE_ENV);
    for (const h of bed.hosts) {
      const pwned = await h.rootExec('ls /tmp/hk-pwned* 2>/dev/null | wc -l');
      expect(pwned.stdout.trim(), h.name).toBe('0');
    }
    expect(readdirSync('/tmp').filter((f) => f.startsWith('hk-pwned'))).toEqual([]);
  });
});
