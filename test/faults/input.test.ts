// Fault suite 1, bad input (no hosts): every spec field (the spec shape walked leaf by leaf, plus
// wrong types and absent fields) and every wizard input field (the question model's validate
// functions, then the answers turned into a spec) gets PER_FIELD generated hostile values (50 here,
// FUZZ_PER_FIELD under `npm run fuzz`): never a crash or a stack trace, always a message naming the
// field; a value the wizard accepts is one the spec accepts. The specs built from accepted values
// have their whole plan (install + workloads) written as `plan --out` does, and every distinct
// script goes through shellcheck. The CLI itself (in process, and the built binary for a sample)
// prints only the field's message and exits 2.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Scalar, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildInstallPlan, DISPLAY_KEYS } from '../../src/install/plan.js';
import { writePlanArtifacts } from '../../src/install/print.js';
import { Redactor } from '../../src/redact.js';
import { parseSpecText } from '../../src/spec/file.js';
import { formatProblem, type Problem } from '../../src/spec/problems.js';
import type { ClusterSpec } from '../../src/spec/types.js';
import { validateObject } from '../../src/spec/validate.js';
import * as answersMod from '../../src/wizard/answers.js';
import { answersFromSpec, buildSpec } from '../../src/wizard/spec-answers.js';
import { dnsForm, formErrors, ingressForm, nodeForm, welcomeForm, workloadForm, type FormModel, type Values } from '../../src/wizard/model.js';
import { withGeneratedSecrets, workloadSteps } from '../../src/workloads/index.js';
import { emptySecretValues } from '../../src/state/secrets.js';
import { runCli } from '../support/cli.js';
import { requires, shellcheckMissing } from '../support/requires.js';
import { hostileValues, looksLikeCrash, PER_FIELD, SEED, WRONG_TYPES } from './support.js';

type Obj = Record<string, unknown>;

function baseSpec(): Obj {
  return {
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'fuzz' },
    spec: {
      kubernetesVersion: '1.37',
      nodes: [
        { name: 'cp1', address: '203.0.113.10', role: 'control-plane', schedulable: false, acceptUndersized: false, ssh: { user: 'ubuntu', port: 22, keyPath: '~/.ssh/id_ed25519' } },
        { name: 'w1', address: 'vps1.example.com', role: 'worker', ssh: { user: 'root', port: 2222 } },
      ],
      dns: { upstream: ['1.1.1.1', '9.9.9.9'] },
      ingress: { node: 'w1', email: 'me@example.com', acme: 'staging' },
      workloads: [
        { kind: 'worker', name: 'chatbot', image: 'ghcr.io/me/bot:1.2', memory: '128Mi', replicas: 1, env: { SLACK_CHANNEL: 'general' }, secretEnv: ['SLACK_TOKEN'], command: ['node', 'bot.js'] },
        { kind: 'database', name: 'mysql', node: 'w1', storage: '5Gi', memory: '384Mi', image: 'mysql:8.4' },
        { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, replicas: 1, domain: 'blog.example.com', memory: '256Mi', memoryRequest: '128Mi', healthPath: '/healthz', env: { RAILS_ENV: 'production' }, secretEnv: [] },
        { kind: 'cron', name: 'cleanup', schedule: '0 3 * * *', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'], memory: '32Mi', env: {}, secretEnv: [] },
      ],
    },
  };
}

interface Leaf {
  path: string;
  segments: Array<string | number>;
}

/** Every scalar in the spec shape, by its validator path (spec.nodes[0].ssh.port ...). */
function leaves(value: unknown, segments: Array<string | number> = [], path = ''): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...segments, i], `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Obj).flatMap(([k, v]) => leaves(v, [...segments, k], path ? `${path}.${k}` : k));
  }
  return [{ path, segments }];
}

function setAt(root: Obj, segments: Array<string | number>, value: unknown, remove = false): Obj {
  const copy = structuredClone(root);
  let at: any = copy;
  for (const s of segments.slice(0, -1)) at = at[s];
  const last = segments.at(-1)!;
  if (remove) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

/**
 * A problem names the field: its path is the field's or inside it, or (a consequence elsewhere, such
 * as a renamed node that spec.ingress.node still refers to, or a second node of the same name) its
 * message names the field, its list item, or the new value.
 */
const parentItem = (path: string) => /^(.*\[\d+\])/.exec(path)?.[1] ?? path;
const names = (problems: Problem[], path: string, value?: unknown) =>
  problems.some(
    (p) =>
      p.path === path ||
      p.path.startsWith(`${path}.`) ||
      p.path.startsWith(`${path}[`) ||
      p.message.includes(path) ||
      p.message.includes(`${parentItem(path)} `) ||
      (p.path !== '' && path.startsWith(p.path)) ||
      // A renamed node or workload: what referred to the old name is reported where it refers.
      /\.name$/.test(path) ||
      (typeof value === 'string' && value.trim().length > 0 && p.message.includes(value.trim().slice(0, 50))),
  );

/** Accepted specs per field: at most SPECS_PER_FIELD are planned and shellchecked (1 here, 5 under fuzz). */
const SPECS_PER_FIELD = Number(process.env.FUZZ_SPECS_PER_FIELD ?? (PER_FIELD > 50 ? 5 : 1));
const accepted: ClusterSpec[] = [];
const acceptedPerField = new Map<string, number>();
const base = baseSpec();
const LEAVES = leaves(base);
let fieldIndex = 0;

describe('bad input in every spec field', () => {
  it('walks a spec shape with every kind of field', () => {
    expect(LEAVES.length).toBeGreaterThan(45);
    expect(validateObject(base).problems).toEqual([]);
  });

  for (const leaf of LEAVES) {
    const seed = SEED + fieldIndex++;
    it(`${leaf.path}: ${PER_FIELD} hostile values and wrong types give a message naming it, never a crash`, () => {
      const values: unknown[] = [...hostileValues(PER_FIELD, seed), ...WRONG_TYPES];
      let rejected = 0;
      for (const value of values) {
        const raw = setAt(base, leaf.segments, value);
        let result: ReturnType<typeof validateObject>;
        try {
          result = validateObject(raw);
        } catch (error) {
          throw new Error(`${leaf.path} = ${JSON.stringify(value)?.slice(0, 80)} crashed the validator: ${(error as Error).stack}`);
        }
        if (result.spec) {
          // Prefer the hostile ones: a plain default-looking value says little about quoting.
          const n = acceptedPerField.get(leaf.path) ?? 0;
          if (n < SPECS_PER_FIELD && typeof value === 'string' && /[^a-z0-9.\-/]/.test(value)) {
            accepted.push(result.spec);
            acceptedPerField.set(leaf.path, n + 1);
          }
          continue;
        }
        rejected += 1;
        expect(names(result.problems, leaf.path, value), `${leaf.path} = ${JSON.stringify(value)?.slice(0, 80)}: ${result.problems.map((p) => formatProblem(p)).join(' | ')}`).toBe(true);
        for (const p of result.problems) {
          expect(p.message.length, 'a bounded message').toBeLessThan(600);
          expect(looksLikeCrash(p.message)).toBe(false);
        }
      }
      // The fixed fragments include values every field refuses (wrong types at least).
      expect(rejected).toBeGreaterThan(0);
      // Absent: either a default, or a problem naming the field (or its mapping).
      const absent = validateObject(setAt(base, leaf.segments, undefined, true));
      if (!absent.spec) {
        const parent = leaf.path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
        expect(absent.problems.some((p) => p.path.startsWith(parent)), `${leaf.path} absent: ${absent.problems.map((p) => formatProblem(p)).join(' | ')}`).toBe(true);
      }
    });
  }

  it('hostile text written raw into the YAML file (YAML specials, newlines, quotes) is a positioned problem or a value, never a crash', () => {
    const MARK = 'ZZFUZZMARKZZ';
    const sample = LEAVES.filter((l) => typeof (leaves(base).find((x) => x.path === l.path) && 'x') === 'string');
    let checked = 0;
    for (const [i, leaf] of sample.entries()) {
      const text = stringify(setAt(base, leaf.segments, MARK));
      for (const value of hostileValues(Math.min(PER_FIELD, 60), SEED + 10_000 + i)) {
        const yamlText = text.replace(MARK, value);
        let read: ReturnType<typeof parseSpecText>;
        try {
          read = parseSpecText(yamlText, 'hobbykube.yaml');
        } catch (error) {
          throw new Error(`${leaf.path} raw ${JSON.stringify(value).slice(0, 80)} crashed parseSpecText: ${(error as Error).stack}`);
        }
        checked += 1;
        if (read.spec) continue;
        expect(read.problems.length).toBeGreaterThan(0);
        for (const p of read.problems) {
          expect(p.line, `${formatProblem(p)} has a line`).toBeGreaterThan(0);
          expect(formatProblem(p), 'every message starts with a field path, "(YAML syntax)" or "(top level)"').toMatch(/^spec:\d+:\d+: [^:\s]/);
          expect(looksLikeCrash(p.message)).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the CLI (in process) answers every rejected value with the field\'s path and exit 2, and plans every accepted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-fuzz-cli-'));
    const file = join(dir, 'hobbykube.yaml');
    let runs = 0;
      for (const [i, leaf] of LEAVES.entries()) {
      for (const value of hostileValues(Math.min(PER_FIELD, 8), SEED + 20_000 + i)) {
        const doc = new Document(setAt(base, leaf.segments, value));
        writeFileSync(file, doc.toString());
        let out = '';
        let err = '';
        const code = await main({
          argv: ['plan', '--offline', '-f', file],
          stdout: { write: (s) => void (out += s), isTTY: false },
          stderr: { write: (s) => void (err += s), isTTY: false },
          stdinIsTTY: false,
          env: { HOBBYKUBE_HOME: join(dir, 'state'), NO_COLOR: '1' },
        });
        runs += 1;
        expect(looksLikeCrash(out + err), `${leaf.path} = ${JSON.stringify(value).slice(0, 60)}:\n${err}`).toBe(false);
        if (code === 0) continue;
        expect(code, err).toBe(2);
        const problems = err.split('\n').filter((l) => l.startsWith('  ')).map((l) => ({ path: /: ([^:]+): /.exec(l)?.[1] ?? '', message: l }));
        expect(names(problems, leaf.path, value), `${leaf.path} = ${JSON.stringify(value).slice(0, 60)}: ${err}`).toBe(true);
      }
    }
    expect(runs).toBeGreaterThan(300);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the built binary prints the field and no stack trace for a sample of hostile files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-fuzz-bin-'));
    const cases: Array<[string, unknown]> = [
      ['spec.nodes[0].name', '$(touch /tmp/hk-pwned)'],
      ['spec.workloads[0].env.SLACK_CHANNEL', { nested: true }],
      ['spec.dns.upstream[0]', '127.0.0.53'],
      ['spec.workloads[3].schedule', '`id`; * * * *'],
      ['metadata.name', 'x'.repeat(100_000)],
    ];
    for (const [path, value] of cases) {
      const leaf = LEAVES.find((l) => l.path === path)!;
      const file = join(dir, 'hobbykube.yaml');
      writeFileSync(file, new Document(setAt(base, leaf.segments, value)).toString());
      const r = runCli(['plan', '--offline', '-f', file], { env: { HOBBYKUBE_HOME: join(dir, 'state') } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(path);
      expect(looksLikeCrash(r.stdout + r.stderr)).toBe(false);
      expect(r.stderr.length).toBeLessThan(2000);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('every script of every plan built from accepted hostile values passes shellcheck', { ...requires(shellcheckMissing()), timeout: 120_000 }, () => {
    expect(accepted.length).toBeGreaterThan(10);
    const dir = mkdtempSync(join(tmpdir(), 'hk-fuzz-plans-'));
    const unique = new Map<string, string>();
    for (const [i, spec] of accepted.entries()) {
      const secrets = withGeneratedSecrets(spec, emptySecretValues()).secrets;
      for (const w of spec.spec.workloads) if (w.kind !== 'database') for (const name of w.secretEnv) secrets.workloads[w.name] = { ...(secrets.workloads[w.name] ?? {}), [name]: 'fuzz-secret' };
      const steps = buildInstallPlan({ spec, facts: new Map(), encryptionKeys: DISPLAY_KEYS, workloadSteps: workloadSteps({ spec, secrets }) });
      const out = join(dir, String(i));
      const written = writePlanArtifacts(out, steps, new Redactor(), 'plan');
      for (const path of written.filter((p) => p.endsWith('.sh'))) {
        const content = readFileSync(path, 'utf8');
        unique.set(createHash('sha256').update(content).digest('hex'), path);
      }
    }
    const files = [...unique.values()];
    expect(files.length).toBeGreaterThan(20);
    const check = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(check.error).toBeUndefined();
    expect(check.stdout + check.stderr, `shellcheck on ${files.length} distinct scripts`).toBe('');
    expect(check.status).toBe(0);
    console.log(`[faults] shellcheck: ${files.length} distinct scripts from ${accepted.length} specs with accepted hostile values`);
    rmSync(dir, { recursive: true, force: true });
  });
});

// ------------------------------------------------------------------------------------- wizard

interface FormCase {
  name: string;
  form: FormModel;
  /** Turns accepted values into answers (as the wizard does on submit). */
  apply: (values: Values) => answersMod.Answers;
}

const withInitial = (form: FormModel, values: Values): FormModel => ({ ...form, initial: { ...form.initial, ...values } });

function wizardCases(): FormCase[] {
  const spec = validateObject(base).spec!;
  const answers = answersFromSpec(spec);
  const cases: FormCase[] = [
    { name: 'welcome', form: welcomeForm(answers), apply: (v) => answersMod.applyWelcome(answers, v) },
    { name: 'node (new)', form: withInitial(nodeForm(answers, undefined), { address: '203.0.113.20' }), apply: (v) => answersMod.applyNode(answers, undefined, answersMod.nodeFromValues(v)) },
    { name: 'node (edit w1)', form: nodeForm(answers, 1), apply: (v) => answersMod.applyNode(answers, 1, answersMod.nodeFromValues(v, answers.nodes[1])) },
    { name: 'dns', form: dnsForm(answers), apply: (v) => answersMod.applyDns(answers, v) },
    { name: 'ingress', form: ingressForm(answers), apply: (v) => answersMod.applyIngress(answers, v) },
  ];
  for (const [index, w] of answers.workloads.entries()) {
    cases.push({
      name: `workload ${w.kind}`,
      // A registry token typed (it shows once a login is): a login the form takes reaches buildSpec.
      form: withInitial(workloadForm(answers, w.kind, index, { storedSecrets: w.kind === 'worker' ? ['SLACK_TOKEN'] : [] }), { 'secret:registry-token': 'token-1' }),
      // As the flow saves it: the registry login too (registryUser), so the spec's registry rules are fuzzed as well.
      apply: (v) => answersMod.applyWorkloadForm(answers, index, w.kind, v, w).answers,
    });
  }
  return cases;
}

describe('bad input in every wizard field', () => {
  const cases = wizardCases();
  let total = 0;
  afterAll(() => {
    expect(total).toBeGreaterThan(20);
  });
  for (const c of cases) {
    const fields = c.form.fields({ ...c.form.initial, web: 'yes' }).filter((f) => f.kind !== 'choice');
    for (const [i, field] of fields.entries()) {
      total += 1;
      it(`${c.name} / ${field.key}: ${PER_FIELD} hostile values: a message beside the field, and what it accepts the spec accepts`, () => {
        const initial = { ...c.form.initial, ...(c.name === 'ingress' ? { web: 'yes' } : {}) };
        expect(formErrors(c.form, initial), `${c.name} initial values are valid`).toEqual({});
        for (const value of hostileValues(PER_FIELD, SEED + 50_000 + i * 31 + c.name.length)) {
          let problem: string | undefined;
          try {
            problem = field.validate(value);
          } catch (error) {
            throw new Error(`${c.name}/${field.key} = ${JSON.stringify(value).slice(0, 80)} crashed validate: ${(error as Error).stack}`);
          }
          if (problem !== undefined) {
            expect(typeof problem).toBe('string');
            expect(problem, `${field.key}: ${problem}`).toMatch(/expected/);
            expect(problem.length).toBeLessThan(400 + Math.min(value.length, 200));
            expect(looksLikeCrash(problem)).toBe(false);
            continue;
          }
          const values = { ...initial, [field.key]: value };
          const errors = formErrors(c.form, values);
          if (Object.keys(errors).length > 0) continue; // another field depends on this one (secret names ...)
          let built: ReturnType<typeof buildSpec>;
          try {
            built = buildSpec(c.apply(values));
          } catch (error) {
            throw new Error(`${c.name}/${field.key} = ${JSON.stringify(value).slice(0, 80)} accepted by the form, then crashed buildSpec: ${(error as Error).stack}`);
          }
          expect(built.problems.map((p) => formatProblem(p)), `${c.name}/${field.key} = ${JSON.stringify(value).slice(0, 80)} accepted by the form but refused by the spec`).toEqual([]);
        }
      });
    }
  }
});

// Keep a record for the report when fuzzing long.
afterAll(() => {
  if (process.env.FUZZ_REPORT) {
    mkdirSync(process.env.FUZZ_REPORT, { recursive: true });
    writeFileSync(join(process.env.FUZZ_REPORT, 'input.json'), JSON.stringify({ perField: PER_FIELD, seed: SEED, fields: LEAVES.length, accepted: accepted.length }));
  }
});
