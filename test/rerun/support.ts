// Shared by the rerun tests: the CLI run asynchronously (test/support/cli.ts, re-exported), a
// spec for part of a bed, and the sshd log's accepted logins.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, parseDocument } from 'yaml';
import type { TestBed, TestHost } from '../hosts/harness.js';
export { runCliAsync } from '../support/cli.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';

/** A spec naming only the first `count` hosts of the bed (the rest are machines to add later). */
export function writePartialSpec(bed: TestBed, count: number, extra: Parameters<typeof writeBedSpec>[1] = {}): BedSpec {
  return writeBedSpec({ ...bed, hosts: bed.hosts.slice(0, count) }, extra);
}

/** Adds a top comment and workloads to the spec file (as a person editing it would). */
export function editSpec(path: string, edit: (spec: Record<string, any>) => void, comment?: string): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const js = doc.toJS() as Record<string, any>;
  edit(js);
  const next = new Document(js);
  next.commentBefore = comment ?? doc.commentBefore;
  writeFileSync(path, next.toString({ lineWidth: 0 }));
}

/** Successful SSH logins the host's sshd logged so far. */
export function acceptedLogins(host: TestHost): number {
  try {
    return readFileSync(join(host.dir, 'sshd.log'), 'utf8').split('\n').filter((l) => l.includes('Accepted ')).length;
  } catch {
    return 0;
  }
}

/** Every line sshd logged about connections (accepted or not). */
export function connectionLines(host: TestHost): string[] {
  try {
    return readFileSync(join(host.dir, 'sshd.log'), 'utf8').split('\n').filter((l) => /Accepted |Connection from|Connection closed|Received disconnect|Disconnected from/.test(l));
  } catch {
    return [];
  }
}
