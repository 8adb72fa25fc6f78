// The question model: the words, defaults and checks both front ends share, and the one way
// answers become a spec.
import { describe, expect, it } from 'vitest';
import { renderNewSpec } from '../../src/spec/file.js';
import { validateObject } from '../../src/spec/validate.js';
import * as rules from '../../src/spec/rules.js';
import { toSpecObject } from '../../src/spec/serialize.js';
import { applyRegistryLogin, applyWorkload, emptyAnswers, pruneRegistries, registryNameFor, removeWorkload, workloadFromValues, type Answers } from '../../src/wizard/answers.js';
import { answersFromSpec, buildSpec } from '../../src/wizard/spec-answers.js';
import { parseCommand, parseEnv } from '../../src/wizard/text-fields.js';
import { specSummary } from '../../src/wizard/review.js';
import { dnsDefault, dnsForm, formErrors, ingressForm, nodeForm, welcomeForm, workloadForm, WELCOME_LINES } from '../../src/wizard/model.js';

export function sampleAnswers(): Answers {
  const a = emptyAnswers();
  a.cluster.name = 'home';
  a.nodes = [
    { name: 'cp1', address: '192.0.2.10', user: 'ubuntu', port: '22', keyPath: '~/.ssh/id_ed25519', role: 'control-plane', schedulable: 'no', acceptUndersized: false },
    { name: 'w1', address: '192.0.2.11', user: 'ubuntu', port: '22', keyPath: '', role: 'worker', schedulable: 'no', acceptUndersized: false },
  ];
  a.dns.upstream = '203.0.113.53, 198.51.100.53';
  a.ingress = { web: 'yes', node: 'w1', email: 'me@example.com', acme: 'staging' };
  a.workloads = [
    { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', port: '', domain: '', replicas: '1', memory: '128Mi', env: 'CHANNEL=general, LIST=a,b', secretEnv: 'SLACK_TOKEN', schedule: '', command: '', storage: '', node: '' },
    { kind: 'database', name: 'mysql', image: 'mysql:8.4', port: '', domain: '', replicas: '1', memory: '384Mi', env: '', secretEnv: '', schedule: '', command: '', storage: '5Gi', node: 'w1' },
    { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: '3000', domain: 'blog.example.com', replicas: '2', memory: '256Mi', env: '', secretEnv: '', schedule: '', command: '', storage: '', node: '' },
    { kind: 'cron', name: 'cleanup', image: 'busybox:1.36', port: '', domain: '', replicas: '1', memory: '64Mi', env: '', secretEnv: '', schedule: '0 3 * * *', command: 'sh -c "echo done"', storage: '', node: '' },
  ];
  return a;
}

describe('question model', () => {
  it('welcome says what happens in three lines that fit 80 columns', () => {
    expect(WELCOME_LINES).toHaveLength(3);
    for (const line of WELCOME_LINES) expect(line.length).toBeLessThan(80);
  });

  it('inline errors use the spec rules\' words', () => {
    const form = welcomeForm(emptyAnswers());
    expect(formErrors(form, { name: 'Home!', kubernetesVersion: '1.30' })).toEqual({
      name: `expected ${rules.clusterName('Home!')}`,
      kubernetesVersion: `expected ${rules.kubernetesVersion('1.30')}`,
    });
    expect(formErrors(form, { name: 'home', kubernetesVersion: '1.37' })).toEqual({});
  });

  it('nodes: exactly one control plane, unique names, the schedulable question only for the control plane', () => {
    const a = sampleAnswers();
    const form = nodeForm(a, undefined);
    expect(form.initial).toMatchObject({ name: 'w2', role: 'worker', user: 'ubuntu' });
    const errors = formErrors(form, { ...form.initial, name: 'cp1', address: '192.0.2.12', role: 'control-plane' });
    expect(errors.name).toBe('expected a name no other node has (cp1 is taken)');
    expect(errors.role).toBe('expected worker: cp1 is already the control plane (exactly one)');
    expect(form.fields({ role: 'worker' }).map((f) => f.key)).not.toContain('schedulable');
    expect(form.fields({ role: 'control-plane' }).map((f) => f.key)).toContain('schedulable');
    expect(formErrors(form, { ...form.initial, address: '192.0.2.11', port: '22' }).port).toBe('expected an address and port no other node has');
    expect(formErrors(form, { ...form.initial, address: '192.0.2.12', port: '70000' }).port).toBe('expected a port number from 1 to 65535');
  });

  it('dns: prefilled from real upstream servers, never the 127.0.0.53 stub, and says why', () => {
    expect(dnsDefault(['127.0.0.53'])).toBe('1.1.1.1, 9.9.9.9');
    expect(dnsDefault(['127.0.0.53', '203.0.113.53'])).toBe('203.0.113.53');
    const a = emptyAnswers();
    const form = dnsForm(a, ['203.0.113.53', '198.51.100.53']);
    expect(form.initial.upstream).toBe('203.0.113.53, 198.51.100.53');
    expect(form.intro.join(' ')).toContain('127.0.0.53');
    expect(formErrors(form, { upstream: '127.0.0.53' }).upstream).toBe(`127.0.0.53: expected ${rules.dnsServer('127.0.0.53')}`);
    expect(formErrors(form, { upstream: '1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1' }).upstream).toContain('at most 3');
  });

  it('domains & TLS: only asked when web apps are served; an app with a domain keeps it on', () => {
    const a = sampleAnswers();
    expect(ingressForm(a).fields({ web: 'no' }).map((f) => f.key)).toEqual(['web']);
    expect(ingressForm(a).fields({ web: 'yes' }).map((f) => f.key)).toEqual(['web', 'node', 'email', 'acme']);
    expect(formErrors(ingressForm(a), { web: 'no' }).web).toContain('an app already has a domain');
    expect(formErrors(ingressForm(a), { web: 'yes', node: 'w1', email: 'nope', acme: 'production' }).email).toBe(`expected ${rules.email('nope')}`);
  });

  it('workloads: per-kind fields, secret value fields per name, next three cron runs', () => {
    const a = sampleAnswers();
    const keys = (kind: 'worker' | 'database' | 'app' | 'cron', values = {}) => workloadForm(a, kind, undefined).fields(values).map((f) => f.key);
    expect(keys('database')).toEqual(['name', 'node', 'storage', 'image', 'memory']);
    expect(keys('app')).toEqual(['name', 'image', 'database', 'port', 'domain', 'replicas', 'memory', 'env', 'secretEnv']);
    expect(keys('worker', { secretEnv: 'A, B' })).toEqual(['name', 'image', 'database', 'replicas', 'memory', 'command', 'env', 'secretEnv', 'secret:A', 'secret:B']);
    const secret = workloadForm(a, 'worker', undefined).fields({ secretEnv: 'TOKEN' }).find((f) => f.key === 'secret:TOKEN')!;
    expect(secret.kind).toBe('secret');
    expect(secret.validate('')).toContain('expected a value for TOKEN');
    expect(workloadForm(a, 'worker', 0, { storedSecrets: ['TOKEN'] }).fields({ secretEnv: 'TOKEN' }).at(-1)!.validate('')).toBeUndefined();
    const cron = workloadForm(a, 'cron', undefined, { now: () => new Date('2026-09-01T10:00:00Z') });
    const schedule = cron.fields(cron.initial).find((f) => f.key === 'schedule')!;
    expect(schedule.preview!('0 3 * * *')).toEqual(['next runs: 2026-09-02 03:00 UTC, 2026-09-03 03:00 UTC, 2026-09-04 03:00 UTC']);
    expect(schedule.validate('every day')).toBe(`expected ${rules.cronSchedule('every day')}`);
    expect(formErrors(cron, { ...cron.initial, name: 'bot', image: 'busybox' }).name).toBe('expected a name no other workload has (bot is taken)');
    expect(formErrors(workloadForm(a, 'worker', undefined), { name: 'x', image: 'b', replicas: '1', memory: '64Mi', env: 'A=1', secretEnv: 'A' }).secretEnv).toContain('not also in env');
  });

  it('text helpers: env pairs may hold commas, commands keep quoted words', () => {
    expect(parseEnv('A=1, B=x,y, C=')).toEqual({ A: '1', B: 'x,y', C: '' });
    expect(parseEnv('nonsense')).toBeUndefined();
    expect(parseCommand('sh -c "echo done"')).toEqual(['sh', '-c', 'echo done']);
    expect(parseCommand('sh -c "open')).toBeUndefined();
  });

  it('answers build a spec the file validator accepts, and reading it back gives the same spec', () => {
    const built = buildSpec(sampleAnswers());
    expect(built.problems).toEqual([]);
    const spec = built.spec!;
    expect(spec.spec.workloads[0]).toMatchObject({ env: { CHANNEL: 'general', LIST: 'a,b' }, secretEnv: ['SLACK_TOKEN'] });
    expect(spec.spec.workloads[3]).toMatchObject({ command: ['sh', '-c', 'echo done'] });
    expect(validateObject(toSpecObject(spec)).problems).toEqual([]);
    const again = buildSpec(answersFromSpec(spec)).spec!;
    expect(renderNewSpec(again)).toBe(renderNewSpec(spec));
  });

  it('answers that are not a valid spec come back as the file\'s problems', () => {
    const a = sampleAnswers();
    a.nodes[1]!.role = 'control-plane';
    const built = buildSpec(a);
    expect(built.spec).toBeUndefined();
    expect(built.problems.map((p) => p.message).join('\n')).toMatch(/control-plane/);
  });
});

describe('the database link in the workload form', () => {
  const field = (a: Answers, kind: 'worker' | 'app' | 'cron', index: number | undefined, values: Record<string, string> = {}) => {
    const form = workloadForm(a, kind, index);
    return form.fields({ ...form.initial, ...values }).find((f) => f.key === 'database');
  };

  it('offers none and the database workloads, for app, worker and cron alike; not at all when there is no database', () => {
    const a = sampleAnswers();
    for (const kind of ['app', 'worker', 'cron'] as const) {
      const f = field(a, kind, undefined)!;
      expect(f.kind).toBe('choice');
      expect(f.choices).toEqual([{ value: '', name: 'none' }, { value: 'mysql', name: 'mysql' }]);
      expect(workloadForm(a, kind, undefined).initial.database).toBe('');
    }
    expect(workloadForm(a, 'database', undefined).fields({}).map((x) => x.key)).not.toContain('database');
    const none = { ...a, workloads: a.workloads.filter((w) => w.kind !== 'database') };
    expect(field(none, 'app', undefined)).toBeUndefined();
  });

  it('checks the link with the spec\'s rule: a database that is gone is shown and refused, naming the ones there are', () => {
    const a = sampleAnswers();
    a.workloads[2] = { ...a.workloads[2]!, database: 'postgres' };
    const f = field(a, 'app', 2)!;
    expect(f.choices!.map((c) => c.value)).toEqual(['', 'mysql', 'postgres']);
    expect(f.validate('postgres')).toBe(`expected ${rules.databaseLink(['mysql'])('postgres')}`);
    expect(f.validate('postgres')).toBe('expected the name of a database workload in spec.workloads (mysql)');
    expect(f.validate('mysql')).toBeUndefined();
    expect(f.validate('')).toBeUndefined();
  });

  it('with a link, refuses MySQL\'s own names for the workload and the DATABASE_* variables it injects, as the spec does', () => {
    const a = sampleAnswers();
    const form = workloadForm(a, 'worker', 0);
    const linked = { ...form.initial, database: 'mysql' };
    expect(formErrors(form, { ...linked, name: 'sys' }).name).toBe(`expected ${rules.linkedWorkloadName('sys')}; rename it or choose no database`);
    expect(formErrors(form, { ...linked, env: 'DATABASE_URL=mysql://x' }).env).toBe(`DATABASE_URL: expected ${rules.notInjected('mysql', false)('DATABASE_URL')}`);
    expect(formErrors(form, { ...linked, secretEnv: 'DATABASE_PASSWORD' }).secretEnv).toBe(`DATABASE_PASSWORD: expected ${rules.notInjected('mysql', true)('DATABASE_PASSWORD')}`);
    // Without the link the same answers are the owner's own.
    const unlinked = { ...form.initial, database: '', name: 'sys', env: 'DATABASE_URL=x', secretEnv: 'DATABASE_PASSWORD', 'secret:DATABASE_PASSWORD': 'p' };
    expect(formErrors(form, unlinked)).toEqual({});
  });

  it('is carried into the answers and the spec, and choosing none drops a link', () => {
    const a = sampleAnswers();
    const form = workloadForm(a, 'app', 2);
    const linked = applyWorkload(a, 2, workloadFromValues('app', { ...form.initial, database: 'mysql' }, a.workloads[2]!));
    expect(linked.workloads[2]!.database).toBe('mysql');
    const { spec, problems } = buildSpec(linked);
    expect(problems).toEqual([]);
    expect(spec!.spec.workloads[2]).toMatchObject({ kind: 'app', name: 'blog', database: 'mysql' });
    expect(specSummary(spec!).find((l) => l.includes(' blog '))).toContain('database mysql');
    // Editing again starts from the link; none removes it from answers and spec.
    const again = answersFromSpec(spec!);
    expect(workloadForm(again, 'app', 2).initial.database).toBe('mysql');
    const dropped = applyWorkload(again, 2, workloadFromValues('app', { ...workloadForm(again, 'app', 2).initial, database: '' }, again.workloads[2]!));
    expect(dropped.workloads[2]).not.toHaveProperty('database');
    expect(buildSpec(dropped).spec!.spec.workloads[2]).not.toHaveProperty('database');
  });
});

describe('the registry login in the workload form (private images)', () => {
  const keys = (a: Answers, values: Record<string, string>, options = {}) => {
    const form = workloadForm(a, 'worker', undefined, options);
    return form.fields({ ...form.initial, ...values }).map((f) => f.key);
  };

  it('asks the login of the image\'s registry right after the image, and the token (masked) only with a login', () => {
    const a = sampleAnswers();
    expect(keys(a, { image: '' })).not.toContain('registryUser');
    expect(keys(a, { image: 'nginx' })).not.toContain('registryUser'); // not an image the spec takes yet
    expect(keys(a, { image: 'ghcr.io/me/x:1' }).slice(0, 4)).toEqual(['name', 'image', 'registryUser', 'database']);
    expect(keys(a, { image: 'ghcr.io/me/x:1', registryUser: 'me' }).slice(0, 5)).toEqual(['name', 'image', 'registryUser', 'secret:registry-token', 'database']);
    const form = workloadForm(a, 'worker', undefined);
    const fields = form.fields({ ...form.initial, image: 'registry.example.com:5000/me/x:1', registryUser: 'me' });
    const login = fields.find((f) => f.key === 'registryUser')!;
    expect(login.message).toBe('Login for registry.example.com:5000 (empty: a public image)');
    expect(login.validate('me:x')).toBe(`expected ${rules.registryUsername('me:x')}`);
    expect(login.validate('')).toBeUndefined();
    const token = fields.find((f) => f.key === 'secret:registry-token')!;
    expect(token.kind).toBe('secret');
    expect(token.validate('')).toBe('expected the token for registry.example.com:5000 (it is kept only in secrets.yaml)');
    expect(token.validate('t0ken')).toBeUndefined();
    // A host the image rule takes but a registry entry would not: refused once a login is typed.
    const odd = form.fields({ ...form.initial, image: 'registry.example.com:99999/me/x:1' }).find((f) => f.key === 'registryUser')!;
    expect(odd.validate('')).toBeUndefined();
    expect(odd.validate('me')).toBe(`registry.example.com:99999: expected ${rules.registryServer('registry.example.com:99999')}`);
    // Images without a registry host are Docker Hub's (private repositories there need a login too).
    expect(form.fields({ ...form.initial, image: 'me/private:1' }).find((f) => f.key === 'registryUser')!.message).toBe('Login for docker.io (empty: a public image)');
    // The database's image may come from a private mirror as well.
    expect(workloadForm(a, 'database', undefined).fields(workloadForm(a, 'database', undefined).initial).map((f) => f.key)).toEqual(['name', 'node', 'storage', 'image', 'registryUser', 'memory']);
  });

  it('one entry per registry host: named after it, shared, updated by a new login, kept by an empty one, dropped when no image uses it', () => {
    let a = sampleAnswers();
    const first = applyRegistryLogin(a, 'ghcr.io', 'me');
    expect(first.name).toBe('ghcr-io');
    a = first.answers;
    expect(a.registries).toEqual([{ name: 'ghcr-io', server: 'ghcr.io', username: 'me' }]);
    expect(applyRegistryLogin(a, 'ghcr.io', '')).toEqual({ answers: a, name: 'ghcr-io' });
    expect(applyRegistryLogin(a, 'ghcr.io', 'bot').answers.registries).toEqual([{ name: 'ghcr-io', server: 'ghcr.io', username: 'bot' }]);
    expect(applyRegistryLogin(a, 'docker.io', 'me').answers.registries!.map((r) => r.name)).toEqual(['ghcr-io', 'dockerhub']);
    expect(registryNameFor(a, 'registry.example.com:5000')).toBe('registry-example-com');
    expect(registryNameFor({ ...a, registries: [{ name: 'ghcr-io', server: 'ghcr.example', username: 'x' }] }, 'ghcr.io')).toBe('ghcr-io-2');
    // The spec takes it as written; an edited workload's form shows the login and keeps the stored token.
    expect(buildSpec(a).spec!.spec.registries).toEqual([{ name: 'ghcr-io', server: 'ghcr.io', username: 'me' }]);
    const edit = workloadForm(a, 'app', 2, { storedRegistries: ['ghcr-io'] });
    expect(edit.initial.registryUser).toBe('me');
    const token = edit.fields(edit.initial).find((f) => f.key === 'secret:registry-token')!;
    expect(token.validate('')).toBeUndefined();
    expect(token.hint).toContain('leave empty to keep it');
    expect(edit.fields(edit.initial).find((f) => f.key === 'registryUser')!.message).toBe('Login for ghcr.io (empty: keep me)');
    // bot and blog pull from ghcr.io: removing one keeps the entry, removing both drops it.
    const oneLeft = removeWorkload(a, 0);
    expect(oneLeft.registries).toHaveLength(1);
    expect(removeWorkload(oneLeft, 1)).not.toHaveProperty('registries');
    expect(pruneRegistries({ ...a, workloads: a.workloads.map((w) => ({ ...w, image: w.image.replace('ghcr.io', 'quay.io') })) })).not.toHaveProperty('registries');
  });
});

describe('editing a node whose spec leaves SSH user and port to ~/.ssh/config', () => {
  it('offers the node form without problems and keeps them absent', () => {
    const { spec } = validateObject({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'home' },
      spec: { nodes: [{ name: 'cp1', address: 'vps1', role: 'control-plane' }, { name: 'w1', address: 'vps2' }], dns: { upstream: ['9.9.9.9'] } },
    });
    const answers = answersFromSpec(spec!);
    const form = nodeForm(answers, 1);
    expect(formErrors(form, form.initial)).toEqual({});
    const again = buildSpec(answers);
    expect(again.spec!.spec.nodes[1]!.ssh).toEqual({});
  });
});

describe('editing workloads through the wizard loses nothing the forms do not ask', () => {
  it('keeps an app\'s healthPath and command', () => {
    const { spec } = validateObject({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'home' },
      spec: {
        nodes: [{ name: 'cp1', address: 'vps1', role: 'control-plane', schedulable: true }],
        dns: { upstream: ['9.9.9.9'] },
        workloads: [{ kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, healthPath: '/healthz', command: ['bin/rails', 'server'] }],
      },
    });
    const again = buildSpec(answersFromSpec(spec!));
    expect(again.problems).toEqual([]);
    expect(again.spec).toEqual(spec);
  });

  it('keeps registries, database links and a release command, also through a saved workload form', () => {
    const { spec, problems } = validateObject({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'home' },
      spec: {
        nodes: [{ name: 'cp1', address: 'vps1', role: 'control-plane' }, { name: 'w1', address: 'vps2', role: 'worker' }],
        dns: { upstream: ['9.9.9.9'] },
        registries: [{ name: 'ghcr', server: 'ghcr.io', username: 'me' }],
        workloads: [
          { kind: 'database', name: 'mysql', node: 'w1' },
          { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, database: 'mysql', release: ['bin/rails', 'db:migrate'] },
          { kind: 'cron', name: 'tidy', schedule: '@daily', image: 'busybox:1.36', database: 'mysql' },
        ],
      },
    });
    expect(problems).toEqual([]);
    const answers = answersFromSpec(spec!);
    expect(buildSpec(answers).spec).toEqual(spec);
    // The app's form saved again (its name changed): the link and the release command stay.
    const form = workloadForm(answers, 'app', 1);
    const saved = workloadFromValues('app', { ...form.initial, name: 'journal' }, answers.workloads[1]!);
    const edited = buildSpec(applyWorkload(answers, 1, saved)).spec!;
    expect(edited.spec.workloads[1]).toMatchObject({ name: 'journal', database: 'mysql', release: ['bin/rails', 'db:migrate'] });
    expect(edited.spec.registries).toEqual([{ name: 'ghcr', server: 'ghcr.io', username: 'me' }]);
  });

  it('keeps a database\'s mysqlCompatible, and its form then takes the image under another name', () => {
    const { spec, problems } = validateObject({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'home' },
      spec: {
        nodes: [{ name: 'cp1', address: 'vps1', role: 'control-plane' }, { name: 'w1', address: 'vps2', role: 'worker' }],
        dns: { upstream: ['9.9.9.9'] },
        workloads: [{ kind: 'database', name: 'db', node: 'w1', image: 'percona/percona-server:8.0', mysqlCompatible: true }],
      },
    });
    expect(problems).toEqual([]);
    const answers = answersFromSpec(spec!);
    const again = buildSpec(answers);
    expect(again.problems).toEqual([]);
    expect(again.spec).toEqual(spec);
    const image = workloadForm(answers, 'database', 0).fields(workloadForm(answers, 'database', 0).initial).find((f) => f.key === 'image')!;
    expect(image.validate('percona/percona-server:8.0')).toBeUndefined();
    // A database the owner did not vouch for: the form asks for MySQL.
    const plain = workloadForm(answers, 'database', undefined);
    expect(plain.fields(plain.initial).find((f) => f.key === 'image')!.validate('postgres:16')).toMatch(/^expected a MySQL image, 8\.0\.30 or newer/);
  });
});
