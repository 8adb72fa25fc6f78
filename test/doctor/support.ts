// Shared by doctor's host tests: the source document's cluster on a bed, and the knobs of the
// fake cluster the doubles keep in <bed>/shared/clusters/<control plane>/ (see test/hosts/README.md:
// images no node can pull, how a workload's containers behave, a node's conditions).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Recording, TestBed } from '../hosts/harness.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';

export const SLACK = 'xoxb-DOCTOR-distinctive-7788';

/** The bed as the source document's cluster (examples/source-cluster.yaml's ingress and workloads). */
export function writeSourceSpec(bed: TestBed, cluster = 'source'): BedSpec {
  const spec = writeBedSpec(bed, { acceptUndersized: true, cluster });
  const example = parse(readFileSync(join(import.meta.dirname, '../../examples/source-cluster.yaml'), 'utf8'));
  const doc = parse(readFileSync(spec.specPath, 'utf8'));
  doc.spec.ingress = example.spec.ingress;
  doc.spec.workloads = example.spec.workloads;
  writeFileSync(spec.specPath, stringify(doc));
  return { ...spec, env: { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK } };
}

/** The shared fake cluster's directory (keyed by the control plane's address). */
export function clusterDir(bed: TestBed): string {
  return join(bed.dir, 'shared', 'clusters', bed.hosts[0]!.address);
}

/** How a workload's containers behave (crash, oomKilled, evicted, log, runs); undefined: normally. */
export function setBehaviour(bed: TestBed, namespace: string, name: string, behaviour: Record<string, unknown> | undefined): void {
  const file = join(clusterDir(bed), 'behaviour', namespace, `${name}.json`);
  if (behaviour === undefined) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(clusterDir(bed), 'behaviour', namespace), { recursive: true, mode: 0o777 });
  writeFileSync(file, JSON.stringify(behaviour), { mode: 0o666 });
}

/** Images no node can pull: image → "not-found" | "unauthorized". */
export function setMissingImages(bed: TestBed, images: Record<string, 'not-found' | 'unauthorized'>): void {
  const file = join(clusterDir(bed), 'images.json');
  if (Object.keys(images).length === 0) rmSync(file, { force: true });
  else writeFileSync(file, JSON.stringify(images), { mode: 0o666 });
}

/** Edits a Node record of the fake cluster (its conditions, kubelet version ...). */
export function editNode(bed: TestBed, name: string, edit: (node: Record<string, any>) => void): void {
  const file = join(clusterDir(bed), 'nodes', `${name}.json`);
  const node = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  edit(node);
  writeFileSync(file, JSON.stringify(node, null, 2));
}

/** Edits a stored object of the fake cluster (as `kubectl edit` would), returning a function that puts it back. */
export function editObject(bed: TestBed, kind: string, namespace: string, name: string, edit: (o: Record<string, any>) => void): () => void {
  const file = join(clusterDir(bed), 'objects', kind.toLowerCase(), namespace, `${name}.json`);
  if (!existsSync(file)) throw new Error(`no ${kind} ${namespace}/${name} in the fake cluster`);
  const before = readFileSync(file, 'utf8');
  const o = JSON.parse(before) as Record<string, any>;
  edit(o);
  writeFileSync(file, JSON.stringify(o, null, 2));
  return () => writeFileSync(file, before);
}

const KC = /^kubectl( --kubeconfig \/etc\/kubernetes\/admin\.conf)?( --request-timeout=\d+s)?( -n [\w-]+)? /;

/**
 * Calls that only read, as doctor makes them. Anything else recorded during a doctor run fails
 * the read-only test. The one call that creates something is the DNS check's pod: `kubectl run
 * hobbykube-doctor-<hex>-internal|external --rm ... -- nslookup NAME`, removed when it ends.
 */
export function readOnlyCall(r: Recording): boolean {
  const line = r.argv.join(' ');
  if (/^systemctl (is-active|is-enabled|status|show) /.test(line)) return true;
  if (/^journalctl -u [\w.-]+ -n \d+ --no-pager$/.test(line)) return true;
  if (/^(containerd --version|kubelet --version|kubeadm version -o short|kubectl version --client)$/.test(line)) return true;
  if (/^ip -o (addr show scope global|-4 route show default)$/.test(line)) return true;
  if (KC.test(line)) {
    const rest = line.replace(KC, '');
    if (/^(get|logs|version) /.test(rest) || rest === 'version -o json') return true;
    if (/^run hobbykube-doctor-[0-9a-f]{6}-(internal|external) --rm -i --restart=Never --quiet --pod-running-timeout=60s --image=\S+ --overrides=\S+ -- nslookup \S+$/.test(rest)) return true;
  }
  return false;
}
