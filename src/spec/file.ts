// Reading and writing hobbykube.yaml: parse with positions, validate, and save so that an
// existing file keeps its comments and order. A file that cannot be merged is backed up first:
// saving never loses what the owner wrote.
import { existsSync, readFileSync, copyFileSync, statSync } from 'node:fs';
import { Document, LineCounter, parseDocument } from 'yaml';
import { FileError, fileReason, writeFileAtomic } from '../state/files.js';
import { SpecError, type Problem } from './problems.js';
import { createNode, mergeIntoDocument, sameSpec, toSpecObject } from './serialize.js';
import { validateDocument } from './validate.js';
import type { ClusterSpec } from './types.js';

export const DEFAULT_SPEC_FILE = 'hobbykube.yaml';

/**
 * The largest spec read. A cluster of a few nodes and a dozen workloads is 2-5 KB; 256 KiB holds
 * about a thousand workloads. Larger files are refused before parsing: a 5 MB file (19,459
 * workloads) took 30 s and 527 MB to validate (issue 12), which is no way to say "wrong file".
 */
export const MAX_SPEC_BYTES = 256 * 1024;

function tooLarge(bytes: number, path: string): ReadSpec {
  const size = bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
  return {
    path,
    document: new Document(null),
    problems: [{ path: '(file)', message: `got ${size}, expected a spec of at most ${MAX_SPEC_BYTES / 1024} KiB (a cluster of a few nodes and workloads takes a few KB; is this the right file?)` }],
  };
}

// Long lines stay whole (no folding of values); flow collections keep the compact {a: b} look.
const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

export interface ReadSpec {
  path: string;
  document: Document;
  spec?: ClusterSpec;
  problems: Problem[];
}

/** Parses and validates text; YAML syntax errors come back as problems with line and column. */
export function parseSpecText(text: string, path = DEFAULT_SPEC_FILE): ReadSpec {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SPEC_BYTES) return tooLarge(bytes, path);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error): Problem => {
      const pos = lineCounter.linePos(error.pos[0]);
      return {
        path: '(YAML syntax)',
        message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        line: pos.line,
        column: pos.col,
      };
    });
    return { path, document, problems };
  }
  const { spec, problems } = validateDocument(document, lineCounter);
  return { path, document, problems, ...(spec ? { spec } : {}) };
}

export class SpecFileMissing extends Error {
  constructor(readonly path: string) {
    super(`${path}: no such file. Run \`hobbykube\` to create it with the wizard, or write it by hand (README: "The spec file").`);
    this.name = 'SpecFileMissing';
  }
}

export function readSpecFile(path: string): ReadSpec {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new FileError(path, 'is a directory; expected the spec file (such as hobbykube.yaml)');
    if (stat.size > MAX_SPEC_BYTES) return tooLarge(stat.size, path); // not even read into memory
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof FileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SpecFileMissing(path);
    throw new FileError(path, fileReason(error as NodeJS.ErrnoException));
  }
  return parseSpecText(text, path);
}

/** Loads a valid spec or throws SpecError listing every problem. */
export function loadSpec(path: string): ClusterSpec {
  const read = readSpecFile(path);
  if (!read.spec) throw new SpecError(read.problems, path);
  return read.spec;
}

const HEADER = ' hobbykube cluster spec: `hobbykube apply` makes the cluster match it. Reference: README, "The spec file".\n Secret values are never kept here; they live in ~/.hobbykube/<cluster>/secrets.yaml (0600).';

/** The text a new spec file gets: the same for the same spec, whichever front end wrote it. */
export function renderNewSpec(spec: ClusterSpec): string {
  const doc = new Document();
  doc.contents = createNode(doc, toSpecObject(spec)) as typeof doc.contents;
  doc.commentBefore = HEADER;
  return doc.toString(YAML_OPTIONS);
}

/** Writes the spec; an existing valid file is updated in place, an invalid one is kept as .bak first. */
export function saveSpec(path: string, spec: ClusterSpec): { backup?: string } {
  if (existsSync(path)) {
    const before = readSpecFile(path);
    if (before.spec) {
      if (sameSpec(before.spec, spec)) return {}; // nothing to say: the owner's formatting stays untouched
      mergeIntoDocument(before.document, before.spec, spec);
      writeFileAtomic(path, before.document.toString(YAML_OPTIONS));
      return {};
    }
    const backup = `${path}.bak`;
    copyFileSync(path, backup);
    writeFileAtomic(path, renderNewSpec(spec));
    return { backup };
  }
  writeFileAtomic(path, renderNewSpec(spec));
  return {};
}
