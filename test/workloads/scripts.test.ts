// Every script the workload steps run passes shellcheck and `bash -n`.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { workloadSteps } from '../../src/workloads/apply.js';
import { fullSpec } from './helpers.js';
import { emptySecretValues } from '../../src/state/secrets.js';
import { requires, shellcheckMissing } from '../support/requires.js';


describe('workload step scripts', () => {
  const steps = workloadSteps({ spec: fullSpec(), secrets: emptySecretValues(), prune: true })(['cp1/ready']);
  const scripts = steps.flatMap((s) => s.artifacts.filter((a) => a.name.endsWith('.sh')).map((a) => [`${s.id} ${a.name}`, a.content] as const));

  it('has scripts for every step', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(12);
  });

  it.each(scripts)('%s passes shellcheck', requires(shellcheckMissing()), (_name, text) => {
    const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(scripts)('%s is valid bash', (_name, text) => {
    const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
    expect(result.stderr).toBe('');
  });

  it('pins helm by sha256 and never pipes a download into a shell', () => {
    const helm = steps.find((s) => s.id === 'cp1/helm')!.artifacts.find((a) => a.name === 'action.sh')!.content;
    expect(helm).toContain('sum=86584a54def73570558f66f5111cc53dfed56689637ae32c1201205d494f54fb');
    // A mismatch stops with both sums (verify_sha256, render/pins.ts).
    expect(helm).toContain('verify_sha256 "$tmp/$tarball" "$sum" "helm: $tarball" || exit 1');
    expect(helm).toContain('echo "$what: sha256 mismatch: expected $want, got $got; not using it" >&2');
    expect(helm).not.toMatch(/\|\s*(ba)?sh(\s|$)/m);
  });

  it('pins the Traefik chart archive by sha256 and installs only the checked file', () => {
    const traefik = steps.find((s) => s.id === 'cp1/traefik')!.artifacts.find((a) => a.name === 'action.sh')!.content;
    const lines = traefik.split('\n').map((l) => l.trim());
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    const download = at('curl -fsSL --retry 3 -o "$tmp" https://traefik.github.io/charts/traefik/traefik-41.5.0.tgz');
    const verify = at('verify_sha256 "$tmp" 30f8db73182019b2764179d7fc0a7efc9505670204f847ffc3a779bacaae3a1a ');
    const keep = at('mv "$tmp" "$archive"');
    const install = at('helm --kubeconfig /etc/kubernetes/admin.conf upgrade --install traefik "$archive"');
    // Downloaded into a temporary file, checked, only then renamed into the cache and installed.
    expect(download).toBeGreaterThan(0);
    expect(verify).toBe(download + 1);
    expect(lines[verify]).toMatch(/\|\| exit 1$/);
    expect(keep).toBeGreaterThan(verify);
    expect(install).toBeGreaterThan(keep);
    expect(traefik).not.toContain('--repo');
    expect(traefik).not.toMatch(/\|\s*(ba)?sh(\s|$)/m);
  });
});
