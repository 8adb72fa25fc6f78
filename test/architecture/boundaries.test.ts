// The house rules on imports, checked on every source file of src/ and screens/ (imports read
// with the TypeScript compiler, test/architecture/imports.ts):
//   - only screens/ imports ink or react;
//   - screens/ never imports the SSH transport (src/ssh/), and no screen pulls it in through the
//     modules it imports (static value imports);
//   - no layer imports one below it in the order docs/ARCHITECTURE.md gives ("## Layers": the
//     table is read from there, so the document and this test cannot drift apart).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, ROOT, sourceFiles, type ImportEdge } from './imports.js';

interface Layer {
  rank: number;
  name: string;
  /** Repository paths: a folder ends with '/'. */
  paths: string[];
}

/** The "## Layers" table of docs/ARCHITECTURE.md: | rank | layer | `path`, `path` ... | */
function layersFromDocs(markdown: string): Layer[] {
  const section = /^## Layers\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (!section) throw new Error('docs/ARCHITECTURE.md has no "## Layers" section');
  const layers: Layer[] = [];
  for (const row of section.split('\n')) {
    const m = /^\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|/.exec(row);
    if (!m) continue;
    const paths = [...m[3]!.matchAll(/`([^`]+)`/g)].map((p) => p[1]!);
    layers.push({ rank: Number(m[1]), name: m[2]!, paths });
  }
  if (layers.length === 0) throw new Error('the "## Layers" table of docs/ARCHITECTURE.md has no rows');
  return layers;
}

/** The layer a file belongs to: the longest path that contains it. */
function layerOf(layers: readonly Layer[], file: string): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of layers) {
    for (const path of layer.paths) {
      const hit = path.endsWith('/') ? file.startsWith(path) : file === path;
      if (hit && (!best || path.length > best.length)) best = { layer, length: path.length };
    }
  }
  return best?.layer;
}

const where = (e: ImportEdge) => `${e.from}:${e.line}: ${e.specifier}`;
const UI_PACKAGES = /^(ink|react)(\/|$)|^ink-|^@inkjs\//;
const SSH_DIR = 'src/ssh/';
/** The Host interface and its error type: what every layer may name; not the transport. */
const SSH_INTERFACE = 'src/ssh/types.ts';

const files = [...sourceFiles('src'), ...sourceFiles('screens')];
const edges = files.flatMap(importsOf);
const layers = layersFromDocs(readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8'));

describe('import boundaries (src/ and screens/)', () => {
  it('reads every source file and finds its imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'src/cli/main.ts' && e.to === 'src/cli/parse.ts')).toBe(true);
    expect(edges.some((e) => e.dynamic && e.from === 'src/cli/command-table.ts')).toBe(true);
  });

  it('nothing outside screens/ imports ink or react', () => {
    const offenders = edges.filter((e) => !e.from.startsWith('screens/') && UI_PACKAGES.test(e.specifier)).map(where);
    expect(offenders).toEqual([]);
  });

  it('screens/ never imports the SSH transport (src/ssh/) directly', () => {
    const offenders = edges.filter((e) => e.from.startsWith('screens/') && e.to?.startsWith(SSH_DIR)).map(where);
    expect(offenders).toEqual([]);
  });

  it('no screen reaches the SSH transport through what it imports (value imports, static or dynamic)', () => {
    const next = new Map<string, ImportEdge[]>();
    for (const e of edges) if (e.to && !e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e]);
    const offenders: string[] = [];
    for (const start of files.filter((f) => f.startsWith('screens/'))) {
      // Breadth first, remembering how each file was reached, to name the path when it fails.
      const via = new Map<string, string>([[start, start]]);
      const queue = [start];
      while (queue.length > 0) {
        const file = queue.shift()!;
        for (const e of next.get(file) ?? []) {
          if (via.has(e.to!)) continue;
          via.set(e.to!, `${via.get(file)} -> ${e.to}`);
          if (e.to!.startsWith(SSH_DIR) && e.to !== SSH_INTERFACE) offenders.push(via.get(e.to!)!);
          else queue.push(e.to!);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every source file belongs to a layer of docs/ARCHITECTURE.md', () => {
    expect(files.filter((f) => layerOf(layers, f) === undefined)).toEqual([]);
  });

  it('no layer imports a higher one, and sibling layers do not import each other', () => {
    const offenders: string[] = [];
    for (const e of edges) {
      if (!e.to) continue;
      const from = layerOf(layers, e.from);
      const to = layerOf(layers, e.to);
      if (!from || !to || from === to) continue;
      if (to.rank >= from.rank) offenders.push(`${where(e)} (${from.name}, ${from.rank} -> ${to.name}, ${to.rank})`);
    }
    expect(offenders).toEqual([]);
  });
});
