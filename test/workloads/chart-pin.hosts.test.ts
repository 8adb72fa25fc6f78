// The Traefik chart archive is downloaded by the install itself and checked against its pinned
// sha256 before helm sees it (src/workloads/addons.ts). On a one-node sshd test host whose chart
// cache is empty (profile traefikChart: false); curl, helm and kubectl are recording doubles, and the
// test bed's curl serves a stand-in archive at the chart's URL (test/hosts/doubles/fake-chart), whose
// bytes are not the published chart's.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { chartArchivePath, helmReleaseScripts, TRAEFIK_CHART, traefikValues, valuesPath, valuesYaml } from '../../src/workloads/addons.js';
import { line, writeBedSpec, type BedSpec } from '../install/support.js';

const CACHE = '/var/cache/hobbykube/charts';
const helmInstalls = (h: TestHost) => h.recordings().map(line).filter((l) => /^helm .*upgrade --install traefik /.test(l));
const downloads = (h: TestHost) => h.recordings().filter((r) => r.argv[0] === 'curl' && r.argv.includes(TRAEFIK_CHART.url));

describe('the Traefik chart archive, pinned by sha256, on a test host with an empty chart cache (curl/helm recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let cp: TestHost;
  let standInSum: string;

  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1', traefikChart: false }]);
    cp = bed.hosts[0]!;
    spec = writeBedSpec(bed);
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.nodes[0].schedulable = true;
    doc.spec.ingress = { node: 'cp1', email: 'me@example.com', acme: 'staging' };
    doc.spec.workloads = [{ kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, domain: 'blog.example.com', memory: '64Mi' }];
    writeFileSync(spec.specPath, stringify(doc));
    // The bytes the test bed serves at the chart's URL, made by the same helper.
    const made = await cp.rootExec(`/run/hobbykube/doubles/fake-chart traefik ${TRAEFIK_CHART.version} /tmp/stand-in.tgz && sha256sum /tmp/stand-in.tgz`);
    expect(made.code, made.stderr).toBe(0);
    standInSum = made.stdout.split(' ')[0]!;
    expect(standInSum).toMatch(/^[0-9a-f]{64}$/);
    expect(standInSum).not.toBe(TRAEFIK_CHART.sha256);
  }, 120_000);
  afterAll(async () => bed?.stop());

  it('apply stops at the Traefik step naming the pinned and the actual sha256; helm never sees the download and nothing is kept', async () => {
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 420_000 });
    expect(r.code, (r.stdout + r.stderr).slice(-4000)).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      `traefik chart: ${TRAEFIK_CHART.url}: sha256 mismatch: expected ${TRAEFIK_CHART.sha256}, got ${standInSum}; not using it`,
    );
    expect(downloads(cp).length).toBeGreaterThan(0);
    expect(helmInstalls(cp)).toEqual([]);
    // Neither the refused download nor its temporary file is left in the cache.
    const left = await cp.rootExec(`ls -A ${CACHE}`);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).toBe('');
  }, 480_000);

  // On the cluster the apply above installed.
  it('an archive whose sha256 matches is downloaded once, kept 0644 in the cache (older versions dropped) and installed from that file', async () => {
    // The same release step rendered for a chart pinned at the stand-in's sum: the renderer takes
    // the pin as data, so this is the production script with the test bed's bytes accepted.
    const chart = { ...TRAEFIK_CHART, sha256: standInSum };
    const values = valuesYaml(traefikValues({ node: 'cp1', email: 'me@example.com', acme: 'staging' }));
    const scripts = helmReleaseScripts(chart, values);
    const archive = chartArchivePath(chart);
    const prepared = await cp.rootExec(`install -d ${CACHE} && echo old >${CACHE}/traefik-40.0.0.tgz && install -d $(dirname ${valuesPath(chart)}) && cat >${valuesPath(chart)}`, values);
    expect(prepared.code, prepared.stderr).toBe(0);
    cp.clearRecordings();

    const first = await cp.rootExec('bash -s', scripts.action);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('downloaded traefik-41.5.0.tgz (sha256 verified)');
    expect(downloads(cp)).toHaveLength(1);
    expect(helmInstalls(cp)).toEqual([
      `helm --kubeconfig /etc/kubernetes/admin.conf upgrade --install traefik ${archive} --namespace traefik --create-namespace --values ${valuesPath(chart)} --wait --timeout 10m`,
    ]);
    const kept = await cp.rootExec(`stat -c '%a' ${archive} && sha256sum ${archive} && ls -A ${CACHE}`);
    expect(kept.stdout).toBe(`644\n${standInSum}  ${archive}\ntraefik-41.5.0.tgz\n`);
    // helm took name and version from the archive: the release is traefik-41.5.0, so the probe is satisfied.
    expect((await cp.rootExec('bash -s', scripts.probe)).code).toBe(0);

    // Run again (an interrupted step's retry): the checked archive is used, not fetched again.
    cp.clearRecordings();
    const again = await cp.rootExec('bash -s', scripts.action);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('downloaded');
    expect(downloads(cp)).toEqual([]);
    expect(helmInstalls(cp)).toHaveLength(1);
  }, 240_000);
});
