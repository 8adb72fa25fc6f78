// containerd 2.x on real sshd test hosts whose apt-get, containerd and systemctl are recording
// doubles: a node with its distribution's containerd 1.x gets containerd.io 2.x from Docker's
// repository (apt removes the old package), a node with Docker Engine is refused before anything
// changes, and a failed download of Docker's signing key stops the install with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { isMutating, line, writeBedSpec, type BedSpec } from './support.js';


function bedOf(bed: TestBed, i: number): TestBed {
  return { ...bed, hosts: [bed.hosts[i]!] } as TestBed;
}

describe('containerd 2.x on sshd test hosts (doubles for apt-get, containerd, systemctl, kubeadm)', requires(hostsMissing()), () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startHosts([
      { name: 'deb', os: 'debian-12', memTotalMb: 1970 },
      { name: 'dock', os: 'ubuntu-24.04', memTotalMb: 1970 },
      { name: 'nokey', os: 'ubuntu-22.04', memTotalMb: 1970 },
      { name: 'own', os: 'ubuntu-22.04', memTotalMb: 1970 },
    ]);
    // Docker's repository set up by the owner the older way (its own file and keyring name).
    const own = await bed.hosts[3]!.rootExec(
      [
        'set -e',
        'echo key >/usr/share/keyrings/docker-archive-keyring.gpg',
        "echo '# deb [signed-by=/etc/apt/keyrings/old.gpg] https://download.docker.com/linux/ubuntu focal stable' >/etc/apt/sources.list.d/old-docker.list",
        "echo 'deb [arch=amd64 signed-by=/usr/share/keyrings/docker-archive-keyring.gpg] https://download.docker.com/linux/ubuntu jammy stable' >/etc/apt/sources.list.d/download_docker_com_linux_ubuntu.list",
      ].join('\n'),
    );
    expect(own.code, own.stderr).toBe(0);
    // Debian's own containerd (1.6.20) and runc, as on a VPS image that ships them.
    const deb = await bed.hosts[0]!.rootExec('apt-get install -y containerd >/dev/null && containerd --version');
    expect(deb.stdout.trim()).toBe('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u1');
    // Ubuntu's docker.io, which pulls Ubuntu's containerd 1.7.
    const dock = await bed.hosts[1]!.rootExec('apt-get install -y docker.io >/dev/null && dockerd --version');
    expect(dock.stdout.trim()).toBe('Docker version 27.5.1, build 0000000');
    for (const h of bed.hosts) h.clearRecordings();
  }, 60_000);
  afterAll(async () => bed?.stop());

  describe("Debian 12 with the distribution's containerd 1.6", () => {
    let spec: BedSpec;
    let result: ReturnType<typeof runCli>;
    beforeAll(() => {
      spec = writeBedSpec(bedOf(bed, 0), { cluster: 'deb' });
      result = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 180_000 });
    }, 200_000);

    it('preflight says it will be replaced, and the facts show where it came from', () => {
      expect(result.stdout).toContain('containerd 1.6.20 (distribution package)');
      expect(result.stdout).toContain(
        "warn  containerd 1.6.20 (the distribution's containerd 1.6.20~ds1-1+deb12u1) is too old: Kubernetes 1.35 was the last release to support containerd 1.x, and 1.37 needs 2.2 or newer. hobbykube replaces it with containerd.io 2.x from Docker's apt repository (download.docker.com); apt removes the containerd and runc packages",
      );
      expect(result.code).toBe(0);
    });

    it("installs containerd.io 2.x from Docker's repository for this release, which removes containerd and runc", async () => {
      const host = bed.hosts[0]!;
      const calls = host.recordings().map(line);
      expect(calls).toContain('curl -fsSL --retry 3 -o /etc/apt/keyrings/docker.asc.new https://download.docker.com/linux/debian/gpg');
      expect(calls.some((l) => /^apt-get -o DPkg::Lock::Timeout=120 -o Acquire::Retries=3 install -y containerd\.io=2\.\*$/.test(l))).toBe(true);
      const state = await host.rootExec(
        "cat /etc/apt/sources.list.d/docker.list; dpkg-query -W -f='${Package} ${Version}\\n' containerd.io; dpkg-query -W containerd runc 2>&1; containerd --version",
      );
      const arch = (await host.rootExec('dpkg --print-architecture')).stdout.trim();
      expect(state.stdout).toContain(`deb [arch=${arch} signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable\n`);
      expect(state.stdout).toContain('containerd.io 2.2.4-1~debian.12~bookworm\n');
      expect(state.stdout).toContain('containerd containerd.io v2.2.4 ');
      expect(state.stdout).toContain('dpkg-query: no packages found matching containerd\n');
      expect(state.stdout).toContain('dpkg-query: no packages found matching runc\n');
    });

    it('writes a version 3 config: SystemdCgroup in the 2.x runc table, CRI enabled, the sandbox image kubeadm uses', async () => {
      const config = (await bed.hosts[0]!.rootExec('cat /etc/containerd/config.toml')).stdout;
      expect(config).toMatch(/^version = 3$/m);
      expect(config).toMatch(/^disabled_plugins = \[\]$/m);
      expect(config).toMatch(/\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runc\.options\]\n(?: {12}\w+ = .*\n)+? {12}SystemdCgroup = true\n/);
      expect(config).toMatch(/\[plugins\.'io\.containerd\.cri\.v1\.images'\.pinned_images\]\n {6}sandbox = "registry\.k8s\.io\/pause:3\.10"\n/);
      // kubeadm saw containerd 2.x: no ContainerRuntimeVersion warning in the install log.
      expect(result.stdout + result.stderr).not.toContain('ContainerRuntimeVersion');
    });

    it('a second apply keeps it: the containerd step is skipped by its probe', () => {
      bed.hosts[0]!.clearRecordings();
      const again = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 120_000 });
      expect(again.code).toBe(0);
      expect(bed.hosts[0]!.recordings().filter(isMutating).map(line)).toEqual([]);
    });
  });

  it('a node with Docker Engine is refused before anything changes, saying what to do', () => {
    const spec = writeBedSpec(bedOf(bed, 1), { cluster: 'dock' });
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('docker.io 27.5.1-0ubuntu3~24.04.2');
    expect(r.stdout).toMatch(/fail {2}Docker Engine is installed \(docker\.io 27\.5\.1-0ubuntu3~24\.04\.2\)\. Docker runs its containers on the same containerd/);
    expect(r.stdout).toContain('apt-get purge docker.io');
    expect(r.stderr).toContain('dock is not ready (see above). Nothing was changed.');
    expect(bed.hosts[1]!.recordings().filter(isMutating).map(line)).toEqual([]);
  });

  it("keeps the owner's own entry for Docker's repository (a second one with another key would make apt refuse both)", async () => {
    const host = bed.hosts[3]!;
    const spec = writeBedSpec(bedOf(bed, 3), { cluster: 'own' });
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    const state = await host.rootExec("ls /etc/apt/sources.list.d/; dpkg-query -W -f='${Version}\\n' containerd.io");
    const lines = state.stdout.trim().split('\n');
    expect(lines).toContain('download_docker_com_linux_ubuntu.list');
    expect(lines).not.toContain('docker.list');
    expect(lines.at(-1)).toBe('2.2.4-1~ubuntu.22.04~jammy');
    expect(host.recordings().some((rec) => rec.argv[0] === 'curl' && rec.argv.join(' ').includes('download.docker.com'))).toBe(false);
  });

  it("(fault) Docker's signing key cannot be fetched: the containerd step fails with curl's reason and installs nothing", () => {
    const host = bed.hosts[2]!;
    host.injectFault({ command: 'curl', match: 'download.docker.com', exitCode: 22, stderr: 'curl: (22) The requested URL returned error: 503\n', times: 'always' });
    const spec = writeBedSpec(bedOf(bed, 2), { cluster: 'nokey' });
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 120_000 });
    host.clearControls();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed: nokey: prepare\.containerd: /);
    expect(r.stderr).toContain('curl: (22) The requested URL returned error: 503');
    const calls = host.recordings().map(line);
    expect(calls.some((l) => l.includes('install -y containerd.io'))).toBe(false);
    expect(calls.some((l) => l.startsWith('kubeadm init'))).toBe(false);
  });
});
