// Words a user sees never send them to things they do not have: the project's sources
// ("see src/workloads/mysql.ts") or the document hobbykube's lessons came from ("the source
// document"). Checked over every string the built CLI can print (the bundle, comments aside) and
// over everything `plan --out` writes, including the objects sent to the cluster.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const FORBIDDEN = [/source document/i, /\bsrc\/[\w-]+(?:\/[\w-]+)*\.tsx?\b/, /\bseeds\//];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const offending = (text: string) => text.split('\n').filter((line) => FORBIDDEN.some((re) => re.test(line)));

describe('user-visible words', () => {
  it('the built CLI holds no string that points at the sources or the source document (esbuild\'s // module comments aside)', () => {
    const bundle = files(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    expect(bundle.length).toBeGreaterThan(3);
    const lines = bundle.flatMap((f) => offending(readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n')).map((l) => `${f}: ${l.trim().slice(0, 120)}`));
    expect(lines).toEqual([]);
  });

  it('nothing plan --out writes (scripts, configs, the objects for the cluster) does either; MySQL\'s ConfigMap says what to change instead', () => {
    const home = mkdtempSync(join(tmpdir(), 'hk-words-home-'));
    const out = join(mkdtempSync(join(tmpdir(), 'hk-words-')), 'plan');
    const r = runCli(['plan', '--offline', '--out', out, '-f', join(ROOT, 'test/fixtures/specs/valid-full.yaml')], { env: { HOBBYKUBE_HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    const written = files(out);
    expect(written.length).toBeGreaterThan(30);
    expect(written.flatMap((f) => offending(readFileSync(f, 'utf8')).map((l) => `${f}: ${l}`))).toEqual([]);
    const manifests = written.filter((f) => f.endsWith('manifests.yaml')).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(manifests).toContain("# hobbykube apply puts these lines back; change the workload's memory in hobbykube.yaml instead.");
  });
});
