// scripts/test-prereqs.sh (npm's `pretest`, so also .ci/run) run for real inside an sshd test
// host, where a package can be made missing in the host's private dpkg database and apt-get is
// the recording double: as root on Debian/Ubuntu it installs what is missing; as a plain user, on
// another distribution, or when apt-get fails, it stops at once naming the packages and the
// command that installs them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, TEST_USERS, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';

const SCRIPT = readFileSync(join(import.meta.dirname, '../../scripts/test-prereqs.sh'), 'utf8');
const PACKAGES = /PACKAGES=\(\n([\s\S]*?)\n\)/.exec(SCRIPT)![1]!.split('\n').map((l) => l.trim().split(/\s+/)[0]!);

describe('scripts/test-prereqs.sh on an sshd test host (apt-get double)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let host: TestHost;
  beforeAll(async () => {
    bed = await startHosts([{ name: 'ci', os: 'ubuntu-24.04' }]);
    host = bed.hosts[0]!;
    await host.rootExec('cat > /tmp/test-prereqs.sh && chmod 0755 /tmp/test-prereqs.sh', SCRIPT);
  });
  afterAll(async () => bed?.stop());

  /** Drops packages from the host's private dpkg database, as on a machine that never had them. */
  const forget = (...packages: string[]) =>
    host.rootExec(`for p in ${packages.join(' ')}; do awk -v p="$p" 'BEGIN{RS="";ORS="\\n\\n"} $0 !~ "^Package: "p"\\n" {print}' /var/lib/dpkg/status > /tmp/st && cat /tmp/st > /var/lib/dpkg/status; done`);
  const asRoot = () => host.rootExec('bash /tmp/test-prereqs.sh');
  const asUser = () => host.rootExec(`runuser -u ${TEST_USERS.nosudo} -- bash /tmp/test-prereqs.sh`);
  const aptCalls = () => host.recordings().filter((r) => r.argv[0] === 'apt-get').map((r) => r.argv.join(' '));

  it('lists every package once, one per line, with what it is for', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['openssh-server', 'openssh-client', 'sudo', 'util-linux', 'shellcheck', 'tmux']));
    expect(new Set(PACKAGES).size).toBe(PACKAGES.length);
    for (const line of /PACKAGES=\(\n([\s\S]*?)\n\)/.exec(SCRIPT)![1]!.split('\n')) expect(line).toMatch(/^ {2}[a-z0-9.+-]+ +# \S/);
  });

  it('everything present, as root: exit 0 and no apt-get', async () => {
    host.clearRecordings();
    const r = await asRoot();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(aptCalls()).toEqual([]);
  });

  it('everything present, as a plain user: stops at once, saying the test hosts need root', async () => {
    const r = await asUser();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the test hosts need root (namespaces, overlay mounts, test users): run sudo npm test');
  });

  it('missing packages, as a plain user: names them and the install command, installs nothing', async () => {
    await forget('tmux', 'shellcheck');
    host.clearRecordings();
    const r = await asUser();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('test prerequisites: missing packages: shellcheck tmux\n');
    expect(r.stderr).toContain('install them with: sudo apt-get install -y shellcheck tmux\n');
    expect(aptCalls()).toEqual([]);
  });

  it('apt-get failing, as root: stops naming the packages it could not install', async () => {
    host.injectFault({ command: 'apt-get', match: 'install', exitCode: 100, stderr: 'E: Unable to locate package tmux\n' });
    const r = await asRoot();
    host.clearControls();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('apt-get could not install: shellcheck tmux; install them by hand: apt-get install -y shellcheck tmux');
  });

  it('missing packages, as root on Ubuntu: installs exactly those with apt-get, then passes', async () => {
    host.clearRecordings();
    const r = await asRoot();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('installing shellcheck tmux (apt-get, as root)');
    expect(aptCalls()).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends shellcheck tmux']);
    // Installed now: the next run changes nothing.
    host.clearRecordings();
    expect((await asRoot()).code).toBe(0);
    expect(aptCalls()).toEqual([]);
  });

  it('not Debian or Ubuntu: stops naming every package and the command for a Debian/Ubuntu machine', async () => {
    await host.rootExec(`printf 'NAME="Fedora Linux"\\nID=fedora\\nVERSION_ID=41\\n' > /etc/os-release`);
    const r = await asRoot();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the integration tests need a Debian or Ubuntu machine (dpkg and these packages): ${PACKAGES.join(' ')}`);
    expect(r.stderr).toContain(`sudo apt-get install -y ${PACKAGES.join(' ')}`);
  });
});
