// Saving a spec: new files are deterministic; existing files keep comments, order and explicit
// defaults, and only changed fields move; an invalid file is backed up, never lost.
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec, renderNewSpec, saveSpec } from '../../src/spec/file.js';
import type { AppWorkload, ClusterSpec, DatabaseWorkload } from '../../src/spec/types.js';

const fixtures = join(import.meta.dirname, '../fixtures/specs');
const dir = mkdtempSync(join(tmpdir(), 'hk-roundtrip-'));

function copyOf(name: string): string {
  const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.yaml`);
  copyFileSync(join(fixtures, name), path);
  return path;
}

describe('saving a spec', () => {
  it('memoryRequest survives saving, loading, and editing in the wizard', async () => {
    const { answersFromSpec, buildSpec } = await import('../../src/wizard/spec-answers.js');
    const path = copyOf('valid-full.yaml');
    const spec = loadSpec(path);
    const blog = spec.spec.workloads.find((w) => w.name === 'blog') as AppWorkload;
    blog.memoryRequest = '256Mi';
    saveSpec(path, spec);
    expect(readFileSync(path, 'utf8')).toMatch(/name: blog, .*memory: 256Mi, .*memoryRequest: 256Mi}/);
    const again = loadSpec(path);
    expect((again.spec.workloads.find((w) => w.name === 'blog') as AppWorkload).memoryRequest).toBe('256Mi');
    // The wizard does not ask for it, and keeps it.
    const rebuilt = buildSpec(answersFromSpec(again));
    expect(rebuilt.problems).toEqual([]);
    expect((rebuilt.spec!.spec.workloads.find((w) => w.name === 'blog') as AppWorkload).memoryRequest).toBe('256Mi');
    expect(rebuilt.spec!.spec.workloads.find((w) => w.name === 'chatbot')).not.toHaveProperty('memoryRequest');
  });

  it("a database's backup settings survive saving, loading, and editing in the wizard", async () => {
    const { answersFromSpec, buildSpec } = await import('../../src/wizard/spec-answers.js');
    const path = copyOf('valid-full.yaml');
    const spec = loadSpec(path);
    const db = spec.spec.workloads.find((w) => w.kind === 'database') as DatabaseWorkload;
    db.backup = { schedule: '15 2 * * 1-5', keep: 10 };
    saveSpec(path, spec);
    expect(readFileSync(path, 'utf8')).toMatch(/backup: \{ ?schedule: 15 2 \* \* 1-5, keep: 10 ?\}|backup:\n\s+schedule: 15 2 \* \* 1-5\n\s+keep: 10/);
    const again = loadSpec(path);
    expect((again.spec.workloads.find((w) => w.kind === 'database') as DatabaseWorkload).backup).toEqual({ schedule: '15 2 * * 1-5', keep: 10 });
    const rebuilt = buildSpec(answersFromSpec(again));
    expect(rebuilt.problems).toEqual([]);
    expect((rebuilt.spec!.spec.workloads.find((w) => w.kind === 'database') as DatabaseWorkload).backup).toEqual({ schedule: '15 2 * * 1-5', keep: 10 });
  });

  it('saving an unchanged spec leaves the file byte for byte as it was', () => {
    const path = copyOf('valid-full.yaml');
    const before = readFileSync(path, 'utf8');
    saveSpec(path, loadSpec(path));
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('keeps comments and key order while changing, adding and removing', () => {
    const path = copyOf('valid-full.yaml');
    const spec = loadSpec(path);
    spec.spec.nodes.push({ name: 'w3', address: '203.0.113.13', role: 'worker', schedulable: false, ssh: { user: 'debian' }, acceptUndersized: false });
    spec.spec.workloads = spec.spec.workloads.filter((w) => w.name !== 'mysql');
    (spec.spec.workloads.find((w) => w.name === 'blog') as AppWorkload).replicas = 2;
    saveSpec(path, spec);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# A three-node cluster: a 1 GB / 2 CPU control plane and two 512 MB workers.');
    expect(text).toContain("# never 127.0.0.53: pods cannot reach the node's stub");
    expect(text).not.toContain('mysql');
    expect(text).toContain('replicas: 2');
    // Explicit defaults the owner wrote stay (port: 22 was in the file).
    expect(text).toContain('port: 22');
    const keys = text.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('#')).map((l) => l.split(':')[0]);
    expect(keys).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const again = loadSpec(path);
    expect(again.spec.nodes.map((n) => n.name)).toEqual(['cp1', 'w1', 'w2', 'w3']);
    expect(again).toEqual(spec);
  });

  it('writes the same bytes for the same spec (whichever front end built it)', () => {
    const spec = loadSpec(join(fixtures, 'valid-full.yaml'));
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    saveSpec(a, spec);
    saveSpec(b, JSON.parse(JSON.stringify(spec)) as ClusterSpec);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).toBe(renderNewSpec(spec));
    expect(loadSpec(a)).toEqual(spec);
    expect((statSync(a).mode & 0o777).toString(8)).toBe('644');
  });

  it('keeps hard values intact through save and load', () => {
    const spec = loadSpec(join(fixtures, 'valid-full.yaml'));
    const tricky = ['it\'s "quoted"', 'a: b # not a comment', 'line1\nline2', '${HOME} $(id) `id`', 'ユニコード ✓', '- leading dash', '&anchor *alias !!str', '', ' padded '];
    const worker = spec.spec.workloads[0]!;
    if (worker.kind !== 'worker') throw new Error('fixture changed');
    worker.env = Object.fromEntries(tricky.map((value, i) => [`V${i}`, value]));
    const path = join(dir, 'tricky.yaml');
    saveSpec(path, spec);
    const back = loadSpec(path).spec.workloads[0]!;
    expect(back.kind === 'worker' && back.env).toEqual(worker.env);
  });

  it('writes words a YAML 1.1 reader would misread (on, yes, 012, ~) quoted, new files and edits alike', () => {
    const spec = loadSpec(join(fixtures, 'valid-full.yaml'));
    const worker = spec.spec.workloads[0]!;
    if (worker.kind !== 'worker') throw new Error('fixture changed');
    const words = ['on', 'yes', 'N', 'off', '012', '0o17', '1_000', '~', 'null', '1.10'];
    worker.command = ['sh', ...words];
    worker.env = { FLAG: 'yes', LEVEL: 'on' };
    const fresh = join(dir, 'fresh-yaml11.yaml');
    saveSpec(fresh, spec);
    const edited = copyOf('valid-full.yaml');
    saveSpec(edited, spec);
    for (const path of [fresh, edited]) {
      const text = readFileSync(path, 'utf8');
      // Read as YAML 1.1 (PyYAML, go-yaml, yamllint's truthy rule): still the same strings.
      const doc = parseDocument(text, { version: '1.1' }).toJS() as { spec: { workloads: Array<{ command?: unknown[]; env?: Record<string, unknown> }> } };
      expect(doc.spec.workloads[0]!.command).toEqual(['sh', ...words]);
      expect(doc.spec.workloads[0]!.env).toEqual({ FLAG: 'yes', LEVEL: 'on' });
      expect(loadSpec(path)).toEqual(spec);
    }
  });

  it('backs up a file it cannot merge into instead of losing it', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'this: [is not, a spec\n');
    const spec = loadSpec(join(fixtures, 'minimal.yaml'));
    const { backup } = saveSpec(path, spec);
    expect(backup).toBe(`${path}.bak`);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('this: [is not, a spec\n');
    expect(loadSpec(path)).toEqual(spec);
    expect(existsSync(path)).toBe(true);
  });
});
