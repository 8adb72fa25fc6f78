import { mkdtempSync, statSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterPaths, ensureClusterDir, stateHome } from '../../src/state/paths.js';
import { writeFileAtomic, writeSecretFile } from '../../src/state/files.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('state directory', () => {
  it('lives under HOBBYKUBE_HOME/<cluster>, else ~/.hobbykube/<cluster>', () => {
    expect(clusterPaths('home', { HOBBYKUBE_HOME: '/x/y' }).dir).toBe('/x/y/home');
    expect(stateHome({ HOME: '/h' })).toMatch(/\.hobbykube$/);
    expect(clusterPaths('home', { HOBBYKUBE_HOME: '/x' }).knownHosts).toBe('/x/home/known_hosts');
  });

  it('is created owner-only, and secret files are 0600 from the first byte', () => {
    const home = mkdtempSync(join(tmpdir(), 'hk-state-'));
    const paths = clusterPaths('home', { HOBBYKUBE_HOME: home });
    ensureClusterDir(paths);
    expect(mode(paths.dir)).toBe('700');
    expect(mode(paths.logs)).toBe('700');
    writeSecretFile(paths.kubeconfig, 'apiVersion: v1\n');
    expect(mode(paths.kubeconfig)).toBe('600');
    writeSecretFile(paths.kubeconfig, 'apiVersion: v1\nkind: Config\n');
    expect(mode(paths.kubeconfig)).toBe('600');
    expect(readFileSync(paths.kubeconfig, 'utf8')).toContain('kind: Config');
    writeFileAtomic(join(paths.dir, 'plain.txt'), 'x');
    expect(mode(join(paths.dir, 'plain.txt'))).toBe('644');
    expect(readdirSync(paths.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
