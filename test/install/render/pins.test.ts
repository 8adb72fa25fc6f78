// What the install downloads is checked before use; a mismatch stops with what was expected and
// what arrived. The shell functions run here for real: sha256sum, and gpg on a key the test makes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNING_KEYS, VERIFY_FUNCTIONS, kubernetesPackagesStep, containerdStep } from '../../../src/install/render/index.js';
import { helmInstallScripts, helmReleaseScripts, TRAEFIK_CHART } from '../../../src/workloads/addons.js';
import { SCENARIOS } from './scenarios.js';
import { gpgMissing, requires } from '../../support/requires.js';

function run(body: string): { code: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -euo pipefail\n${VERIFY_FUNCTIONS}\n${body}`], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('pins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hk-pins-'));

  it('verify_sha256 passes the pinned file and names both sums otherwise', () => {
    const file = join(dir, 'helm.tar.gz');
    writeFileSync(file, 'the tarball');
    const good = spawnSync('sha256sum', [file], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    expect(run(`verify_sha256 '${file}' ${good} helm`).code).toBe(0);
    const bad = run(`verify_sha256 '${file}' ${'0'.repeat(64)} 'helm: helm-v4.3.0-linux-amd64.tar.gz'`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`helm: helm-v4.3.0-linux-amd64.tar.gz: sha256 mismatch: expected ${'0'.repeat(64)}, got ${good}; not using it\n`);
  });

  it('verify_key passes a key with the pinned fingerprint and names both otherwise (real gpg)', requires(gpgMissing()), () => {
    const home = join(dir, 'gnupg');
    spawnSync('mkdir', ['-m', '0700', home]);
    const made = spawnSync('gpg', ['--batch', '--homedir', home, '--passphrase', '', '--pinentry-mode', 'loopback', '--quick-gen-key', 'hobbykube test <test@invalid>', 'ed25519', 'sign', 'never'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(spawnSync('gpg', ['--batch', '--homedir', home, '--with-colons', '--list-keys'], { encoding: 'utf8' }).stdout)![1]!;
    const key = join(dir, 'Release.key');
    writeFileSync(key, spawnSync('gpg', ['--batch', '--homedir', home, '--armor', '--export'], { encoding: 'utf8' }).stdout);
    expect(run(`verify_key '${key}' ${fpr} 'a key'`)).toEqual({ code: 0, stderr: '' });
    const other = run(`verify_key '${key}' ${SIGNING_KEYS.kubernetes} "pkgs.k8s.io's signing key"`);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(`pkgs.k8s.io's signing key: signing key fingerprint mismatch: expected ${SIGNING_KEYS.kubernetes}, got ${fpr}; not trusting it\n`);
    const junk = join(dir, 'junk');
    writeFileSync(junk, '<html>404</html>');
    expect(run(`verify_key '${junk}' ${fpr} 'a key'`).stderr).toContain(`expected ${fpr}, got no OpenPGP key; not trusting it`);
  });

  it('the install checks both apt signing keys and helm before using them', () => {
    expect(kubernetesPackagesStep('1.37').action).toContain(`verify_key "$key" ${SIGNING_KEYS.kubernetes} "pkgs.k8s.io's signing key" || { rm -f "$key"; exit 1; }`);
    expect(containerdStep().action).toContain(`verify_key /etc/apt/keyrings/docker.asc.new ${SIGNING_KEYS.docker} "Docker's signing key"`);
    expect(helmInstallScripts().action).toContain('verify_sha256 "$tmp/$tarball" "$sum" "helm: $tarball" || exit 1');
    expect(helmReleaseScripts(TRAEFIK_CHART, '').action).toContain(`verify_sha256 "$tmp" ${TRAEFIK_CHART.sha256} 'traefik chart: ${TRAEFIK_CHART.url}' || exit 1`);
  });

  // Every download in every script of every scenario (install, add-ons, reset): written to a file,
  // then the very next command checks that file (sha256 or signing key) and stops on a mismatch;
  // never piped anywhere.
  const downloads = SCENARIOS.flatMap((s) => s.steps.flatMap(([name, scripts]) => [['probe', scripts.probe], ['action', scripts.action]].flatMap(([kind, text]) => {
    const lines = text!.split('\n').map((l) => l.trim());
    return lines.flatMap((l, i) => (/^(curl|wget)\s/.test(l) ? [[`${s.name}: ${name} ${kind}: ${l}`, l, lines[i + 1] ?? ''] as const] : []));
  })));

  it('the scenarios download something (helm, the chart, two signing keys)', () => {
    const urls = [...new Set(downloads.map(([, l]) => l.split(/\s+/).pop()!))];
    const kinds = [/^"https:\/\/get\.helm\.sh\//, new RegExp(`^${TRAEFIK_CHART.url.replace(/\./g, '\\.')}$`), /^https:\/\/pkgs\.k8s\.io\/.*\/Release\.key$/, /^"\$repo\/gpg"$/];
    expect(kinds.map((k) => urls.some((u) => k.test(u)))).toEqual([true, true, true, true]);
    expect(urls.every((u) => kinds.some((k) => k.test(u))), urls.join(' ')).toBe(true);
  });

  it.each(downloads)('%s is checked before use', (_name, download, next) => {
    expect(download).not.toContain('|');
    const target = /\s-o\s+(\S+)/.exec(download)?.[1];
    expect(target, 'downloads to a file').toBeDefined();
    expect(next.startsWith(`verify_sha256 ${target} `) || next.startsWith(`verify_key ${target} `), next).toBe(true);
    expect(next).toMatch(/\|\| (exit 1|\{ rm -f \S+; exit 1; \})$/);
  });
});
