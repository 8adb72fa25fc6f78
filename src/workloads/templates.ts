// Loads the YAML templates in manifests/ (shipped with the package): each file is parsed with the
// `yaml` library and handed out as fresh plain objects, which the renderers then fill in. Values
// are only ever set on parsed objects, never pasted into template text.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as plain data. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // Object bodies are free-form (spec, data, ...); renderers know their shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

let dir: string | undefined;

/**
 * manifests/ of this package: found by walking up from this module (src/workloads/ when run from
 * source, dist/ when bundled) to the directory that holds both package.json and manifests/.
 */
export function manifestsDir(): string {
  if (dir !== undefined) return dir;
  let here = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(here, 'package.json')) && existsSync(join(here, 'manifests', 'workloads'))) return (dir = join(here, 'manifests'));
    const up = dirname(here);
    if (up === here) throw new Error('cannot find the manifests/ directory of hobbykube next to its package.json');
    here = up;
  }
}

const cache = new Map<string, unknown[]>();

/** The documents of a template file (relative to manifests/), as new plain objects each call. */
export function loadTemplate(relativePath: string): Record<string, unknown>[] {
  let docs = cache.get(relativePath);
  if (!docs) {
    const text = readFileSync(join(manifestsDir(), relativePath), 'utf8');
    docs = parseAllDocuments(text).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`manifests/${relativePath}: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    });
    cache.set(relativePath, docs);
  }
  return docs.filter((d) => d !== null && d !== undefined).map((d) => structuredClone(d) as Record<string, unknown>);
}

/** The one document of `kind` in a template file. */
export function templateObject(relativePath: string, kind: string): K8sObject {
  const found = loadTemplate(relativePath).filter((d) => d.kind === kind);
  if (found.length !== 1) throw new Error(`manifests/${relativePath}: expected one ${kind}, found ${found.length}`);
  return found[0] as K8sObject;
}
