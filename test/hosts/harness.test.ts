// Tests of the OpenSSH test-host harness itself, through the real ssh client.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startHosts, type TestBed, type TestHost } from './harness.js';
import { hostsMissing, requires, shellcheckMissing } from '../support/requires.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Out { code: number; stdout: string; stderr: string }
function sh(cmd: string, args: string[], input = ''): Promise<Out> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.on('error', () => { /* the command may exit before reading stdin */ });
    child.stdin?.end(input);
  });
}

let bed: TestBed;
function ssh(h: TestHost, user: string, command: string, opts: { input?: string; key?: string; timeout?: number } = {}): Promise<Out> {
  return sh('ssh', [
    '-i', opts.key ?? bed.keyPath, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${bed.knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', `ConnectTimeout=${opts.timeout ?? 10}`,
    '-p', String(h.port), `${user}@${h.address}`, command,
  ], opts.input ?? '');
}

// What an install script does on a fresh host, in the order the product is expected to.
const PREPARE = `set -e
sudo swapoff -a
sudo modprobe overlay
sudo modprobe br_netfilter
printf 'net.ipv4.ip_forward = 1\\nnet.bridge.bridge-nf-call-iptables = 1\\n' | sudo tee /etc/sysctl.d/k8s.conf >/dev/null
sudo sysctl --system >/dev/null
sudo apt-get install -y containerd >/dev/null
sudo mkdir -p /etc/apt/keyrings
curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.37/deb/Release.key | sudo gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /' | sudo tee /etc/apt/sources.list.d/kubernetes.list >/dev/null
sudo apt-get update >/dev/null
sudo apt-get install -y kubelet kubeadm kubectl >/dev/null
sudo apt-mark hold kubelet kubeadm kubectl >/dev/null
`;

const KUBEADM_CONFIG = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.1
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
resolvConf: /run/systemd/resolve/resolv.conf
systemReserved:
  memory: 150Mi
`;

describe('OpenSSH test hosts', requires(hostsMissing()), () => {
  beforeAll(async () => {
    bed = await startHosts([
      { os: 'ubuntu-24.04', memTotalMb: 1970, cpus: 2 },
      { os: 'debian-12', memTotalMb: 970, cpus: 1 },
      { os: 'ubuntu-22.04', memTotalMb: 490, cpus: 1, swapMb: 0 },
    ]);
    // How long this takes is measured by `npm run bench` (docs/PERFORMANCE.md), not asserted here.
    process.stdout.write(`[test/hosts] startHosts(3) took ${bed.startupMs} ms\n`);
  });
  afterAll(async () => { await bed?.stop(); });

  it('each host answers with its own hostname and address', async () => {
    const addresses = new Set(bed.hosts.map((h) => h.address));
    expect(addresses.size).toBe(3);
    for (const h of bed.hosts) {
      const r = await ssh(h, bed.users.nopasswd, 'hostname; cat /etc/hostname; echo $SSH_CONNECTION');
      expect(r.code, r.stderr).toBe(0);
      const [hostname, etcHostname, conn] = r.stdout.trim().split('\n');
      expect(hostname).toBe(h.name);
      expect(etcHostname).toBe(h.name);
      expect(conn!.split(' ')[2]).toBe(h.address);
    }
  });

  it('host key fingerprints match ssh-keyscan + ssh-keygen -lf', async () => {
    for (const h of bed.hosts) {
      const scan = await sh('ssh-keyscan', ['-t', 'ed25519', '-p', String(h.port), h.address]);
      const fp = await sh('ssh-keygen', ['-lf', '-'], scan.stdout);
      expect(fp.stdout.split(' ')[1]).toBe(h.hostKeyFingerprint);
    }
  });

  it('accepts the passphrase-protected client key (the passphrase is right)', async () => {
    const r = await sh('ssh-keygen', ['-y', '-P', bed.passphrase, '-f', bed.passphraseKeyPath]);
    expect(r.code).toBe(0);
    const wrong = await sh('ssh-keygen', ['-y', '-P', 'nope', '-f', bed.passphraseKeyPath]);
    expect(wrong.code).not.toBe(0);
    const authorized = fs.readFileSync(path.join(bed.hosts[0]!.dir, 'authorized_keys'), 'utf8');
    expect(authorized).toContain(r.stdout.trim().split(' ')[1]);
  });

  it('private views are private', async () => {
    const [h1, h2] = bed.hosts as [TestHost, TestHost];
    const w = await ssh(h1, bed.users.nopasswd, 'sudo mkdir -p /etc/kubernetes && echo secret | sudo tee /etc/kubernetes/marker >/dev/null && echo x | sudo tee /usr/local/bin/marker >/dev/null && touch /tmp/marker');
    expect(w.code, w.stderr).toBe(0);
    expect((await ssh(h1, bed.users.nopasswd, 'cat /etc/kubernetes/marker')).stdout).toBe('secret\n');
    expect((await ssh(h2, bed.users.nopasswd, 'ls /etc/kubernetes/marker /usr/local/bin/marker /tmp/marker 2>&1 | grep -c "No such file"')).stdout.trim()).toBe('3');
    expect(fs.existsSync('/etc/kubernetes/marker')).toBe(false);
    expect(fs.existsSync('/usr/local/bin/marker')).toBe(false);
    // node stays visible
    expect((await ssh(h2, bed.users.nopasswd, 'test -x /usr/bin/node && echo ok')).stdout).toBe('ok\n');
  });

  it('shows the faked facts', async () => {
    const [h1, h2, h3] = bed.hosts as [TestHost, TestHost, TestHost];
    const facts = async (h: TestHost) => (await ssh(h, bed.users.nopasswd,
      'nproc; grep -c ^processor /proc/cpuinfo; grep MemTotal /proc/meminfo; . /etc/os-release; echo $ID $VERSION_ID; grep ^nameserver /etc/resolv.conf | head -1; grep ^nameserver /run/systemd/resolve/resolv.conf | head -1; tail -n +2 /proc/swaps | wc -l')).stdout.trim().split('\n');
    expect(await facts(h1)).toEqual(['2', '2', `MemTotal:        ${1970 * 1024} kB`, 'ubuntu 24.04', 'nameserver 127.0.0.53', 'nameserver 203.0.113.53', '1']);
    expect(await facts(h2)).toEqual(['1', '1', `MemTotal:         ${970 * 1024} kB`, 'debian 12', 'nameserver 203.0.113.53', 'nameserver 203.0.113.53', '1']);
    expect(await facts(h3)).toEqual(['1', '1', `MemTotal:         ${490 * 1024} kB`, 'ubuntu 22.04', 'nameserver 127.0.0.53', 'nameserver 203.0.113.53', '0']);
    // swap stays on until swapoff; sbin tools are not on a plain user's PATH (as on Debian)
    const s = await ssh(h2, bed.users.nopasswd, '/usr/sbin/swapon --show --noheadings | wc -l; command -v swapoff || echo none; sudo swapoff -a; /usr/sbin/swapon --show | wc -l; grep SwapTotal /proc/meminfo');
    expect(s.stdout.trim().split('\n')).toEqual(['1', 'none', '0', 'SwapTotal:             0 kB']);
  });

  it('sudo: passwordless, password-protected, and none', async () => {
    const h = bed.hosts[0]!;
    expect((await ssh(h, bed.users.nopasswd, 'sudo -n id -u')).stdout).toBe('0\n');
    const pw = await ssh(h, bed.users.password, 'sudo -n true');
    expect(pw.code).not.toBe(0);
    expect(pw.stderr).toContain('a password is required');
    const withPw = await ssh(h, bed.users.password, "sudo -S -p '' id -u", { input: `${bed.users.sudoPassword}\n` });
    expect(withPw.stdout).toBe('0\n');
    const none = await ssh(h, bed.users.nosudo, "sudo -S -p '' id -u", { input: 'whatever\n' });
    expect(none.code).not.toBe(0);
    expect((await ssh(h, bed.users.nosudo, 'sudo -n true')).code).not.toBe(0);
  });

  it('kubeadm refuses a 1 CPU / 970 MB control plane, with the real preflight errors', async () => {
    const h2 = bed.hosts[1]!;
    const prep = await ssh(h2, bed.users.nopasswd, PREPARE);
    expect(prep.code, prep.stderr).toBe(0);
    const r = await ssh(h2, bed.users.nopasswd, 'sudo kubeadm init');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2');
    expect(r.stderr).toContain('[ERROR Mem]: the system RAM (970 MB) is less than the minimum 1700 MB');
  });

  it('init -> token create -> join -> get nodes -> reset', async () => {
    const [h1, h2] = bed.hosts as [TestHost, TestHost];
    const U = bed.users.nopasswd;
    expect((await ssh(h1, U, 'kubeadm version -o short 2>&1')).stdout).toContain('command not found');
    const prep = await ssh(h1, U, PREPARE);
    expect(prep.code, prep.stderr).toBe(0);
    expect((await ssh(h1, U, 'kubeadm version -o short; kubelet --version; dpkg-query -W -f="\\${Version}" kubeadm')).stdout)
      .toBe('v1.37.1\nKubernetes v1.37.1\n1.37.1-1.1');

    h1.clearRecordings();
    const init = await ssh(h1, U, 'cat > /tmp/kubeadm.yaml && sudo kubeadm init --config /tmp/kubeadm.yaml', { input: KUBEADM_CONFIG });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(new RegExp(`kubeadm join ${h1.address.replace(/\./g, '\\.')}:6443 --token [a-z0-9]{6}\\.[a-z0-9]{16} \\\\\\n\\t--discovery-token-ca-cert-hash sha256:[0-9a-f]{64} \\n$`));
    const rec = h1.recordings().find((x) => x.argv[0] === 'kubeadm')!;
    expect(rec.argv).toEqual(['kubeadm', 'init', '--config', '/tmp/kubeadm.yaml']);
    expect(rec.uid).toBe(0);
    expect(rec.files?.['/tmp/kubeadm.yaml']).toBe(KUBEADM_CONFIG);

    const admin = YAML.parse((await h1.rootExec('cat /etc/kubernetes/admin.conf')).stdout);
    expect(admin.clusters[0].cluster.server).toBe(`https://${h1.address}:6443`);
    const kubelet = (await h1.rootExec('cat /var/lib/kubelet/config.yaml')).stdout;
    expect(kubelet).toBe(KUBEADM_CONFIG.split('---\n')[1]);
    expect((await ssh(h1, U, 'sudo kubeadm init --config /tmp/kubeadm.yaml')).stderr).toContain('[ERROR Port-6443]');
    // No nodeRegistration.taints in the config: kubeadm taints the control plane.
    expect((await h1.rootExec(`kubectl --kubeconfig /etc/kubernetes/admin.conf get node h1 -o jsonpath='{.spec.taints}'`)).stdout)
      .toBe('[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]');

    const t1 = (await ssh(h1, U, 'sudo kubeadm token create --print-join-command')).stdout.trim();
    const t2 = (await ssh(h1, U, 'sudo kubeadm token create --print-join-command')).stdout.trim();
    expect(t1).not.toBe(t2);
    expect((await ssh(bed.hosts[2]!, U, `sudo ${t1.replace(/--token \S+/, '--token abcdef.0123456789abcdef')} 2>&1`)).stdout).toMatch(/command not found|JWS signature/);

    const join = await ssh(h2, U, `sudo ${t2}`);
    expect(join.code, join.stderr).toBe(0);
    expect((await h2.rootExec('test -s /etc/kubernetes/kubelet.conf && echo yes')).stdout).toBe('yes\n');

    const nodes = await ssh(h1, U, 'sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json');
    const list = JSON.parse(nodes.stdout) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[] };
    expect(list.items.map((n) => n.metadata.name)).toEqual(['h1', 'h2']);
    // no CNI yet: NotReady, like a real cluster
    expect(list.items.every((n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'False'))).toBe(true);

    const manifest = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-flannel\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\n  namespace: kube-flannel\nspec:\n  template:\n    spec:\n      tolerations: [{operator: Exists}]\n';
    h1.clearRecordings();
    const applied = await ssh(h1, U, 'sudo KUBECONFIG=/etc/kubernetes/admin.conf kubectl apply --server-side -f -', { input: manifest });
    expect(applied.stdout).toBe('namespace/kube-flannel serverside-applied\ndaemonset.apps/kube-flannel-ds serverside-applied\n');
    const applyRec = h1.recordings().find((x) => x.argv[0] === 'kubectl')!;
    expect(applyRec.argv).toEqual(['kubectl', 'apply', '--server-side', '-f', '-']);
    expect(applyRec.stdin).toBe(manifest);
    const k = 'sudo kubectl --kubeconfig /etc/kubernetes/admin.conf';
    expect((await ssh(h1, U, `${k} wait --for=condition=Ready node --all --timeout=5s`)).stdout).toBe('node/h1 condition met\nnode/h2 condition met\n');
    expect((await ssh(h1, U, `${k} get ds kube-flannel-ds -n kube-flannel -o jsonpath='{.metadata.name}'`)).stdout).toBe('kube-flannel-ds');
    const corefile = JSON.parse((await ssh(h1, U, `${k} -n kube-system get configmap coredns -o json`)).stdout).data.Corefile as string;
    expect(corefile).toContain('forward . /etc/resolv.conf');
    expect((await ssh(h1, U, `${k} run dnscheck --rm -i --restart=Never --image=busybox:1.36 -- nslookup example.com`)).code).toBe(0);

    // worker reset: its Node object stays (NotReady) until deleted, as on a real cluster
    expect((await ssh(h2, U, 'sudo kubeadm reset -f')).code).toBe(0);
    expect((await h2.rootExec('ls /etc/kubernetes/kubelet.conf 2>&1')).stdout).toContain('No such file');
    expect((await ssh(h1, U, `${k} get nodes --no-headers`)).stdout).toMatch(/h2\s+NotReady/);
    expect((await ssh(h1, U, `${k} delete node h2`)).stdout).toBe('node "h2" deleted\n');
    // control-plane reset takes the cluster with it
    expect((await ssh(h1, U, 'sudo kubeadm reset -f')).code).toBe(0);
    const gone = await ssh(h1, U, `sudo kubectl --kubeconfig /home/${U}/nothing get nodes; ls /etc/kubernetes/manifests | wc -l`);
    expect(gone.stdout.trim()).toBe('0');
    expect(fs.readdirSync(path.join(bed.dir, 'shared', 'clusters'))).toEqual([]);

    // nodeRegistration.taints: [] (a schedulable control plane): no taint at all, as kubeadm does.
    const untainted = `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  taints: []\n---\n${KUBEADM_CONFIG}`;
    const again = await ssh(h1, U, 'cat > /tmp/kubeadm.yaml && sudo kubeadm init --config /tmp/kubeadm.yaml', { input: untainted });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('by adding the taints');
    expect((await h1.rootExec(`kubectl --kubeconfig /etc/kubernetes/admin.conf get node h1 -o jsonpath='{.spec.taints}'`)).stdout).toBe('');
    expect((await ssh(h1, U, 'sudo kubeadm reset -f')).code).toBe(0);
  });

  it('helm double: a chart archive on disk installs under the name and version in its Chart.yaml; a missing or non-gzip one fails as helm does', async () => {
    const h = bed.hosts[2]!;
    const helm = '/run/hobbykube/doubles/helm';
    const made = await h.rootExec(`/run/hobbykube/doubles/fake-chart other 1.2.3 /tmp/other.tgz && ${helm} upgrade --install rel /tmp/other.tgz -n apps && ${helm} list -n apps`);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('rel\tapps\t1\tdeployed\tother-1.2.3\n');
    const missing = await h.rootExec(`${helm} upgrade --install rel /tmp/nothing.tgz -n apps`);
    expect([missing.code, missing.stderr]).toEqual([1, 'Error: path "/tmp/nothing.tgz" not found\n']);
    const text = await h.rootExec(`echo not a chart >/tmp/text.tgz; ${helm} upgrade --install rel /tmp/text.tgz -n apps`);
    expect([text.code, text.stderr]).toEqual([1, "Error: file '/tmp/text.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'\n"]);
  });

  it('injects faults and delays per command', async () => {
    const h = bed.hosts[2]!;
    h.injectFault({ command: 'apt-get', match: 'install', exitCode: 100, stderr: 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)\n' });
    const first = await ssh(h, bed.users.nopasswd, 'sudo apt-get install -y socat');
    expect(first.code).toBe(100);
    expect(first.stderr).toContain('Could not get lock');
    expect((await ssh(h, bed.users.nopasswd, 'sudo apt-get install -y socat')).code).toBe(0);
    // A delayed double outlasts a 1 s `timeout` (exit 124) whatever the machine's load; without the
    // delay the same call answers.
    h.setDelay(60_000, 'systemctl');
    expect((await ssh(h, bed.users.nopasswd, 'timeout 1 systemctl is-active ssh')).code).toBe(124);
    h.clearControls();
    expect((await ssh(h, bed.users.nopasswd, 'timeout 60 systemctl is-active ssh')).code).not.toBe(124);
  });

  it('host key regeneration, SIGSTOP and restart', async () => {
    const h = bed.hosts[2]!;
    const before = h.hostKeyFingerprint;
    await h.regenerateHostKey();
    expect(h.hostKeyFingerprint).not.toBe(before);
    const changed = await ssh(h, bed.users.nopasswd, 'true');
    expect(changed.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    const scan = await sh('ssh-keyscan', ['-t', 'ed25519', h.address]);
    expect((await sh('ssh-keygen', ['-lf', '-'], scan.stdout)).stdout).toContain(h.hostKeyFingerprint);
    fs.writeFileSync(bed.knownHostsPath, bed.hosts.map((x) => `${x.address} ${x.hostKeyPublic}\n`).join(''));

    h.signalSshd('SIGSTOP');
    const frozen = await ssh(h, bed.users.nopasswd, 'true', { timeout: 1 });
    expect(frozen.code).toBe(255);
    h.signalSshd('SIGCONT');
    expect((await ssh(h, bed.users.nopasswd, 'echo back')).stdout).toBe('back\n');
    h.signalSshd('SIGKILL');
    expect((await ssh(h, bed.users.nopasswd, 'true', { timeout: 2 })).code).toBe(255);
    await h.restart();
    expect((await ssh(h, bed.users.nopasswd, 'echo up')).stdout).toBe('up\n');
  });

  it('bash doubles are shellcheck-clean', requires(shellcheckMissing()), async () => {
    const dir = path.join(HERE, 'doubles');
    const scripts = fs.readdirSync(dir).filter((f) => {
      const p = path.join(dir, f);
      return fs.lstatSync(p).isFile() && /^#!\/bin\/bash|^# shellcheck shell=bash/.test(fs.readFileSync(p, 'utf8'));
    });
    expect(scripts.length).toBeGreaterThan(15);
    const r = await new Promise<Out>((resolve) => {
      execFile('shellcheck', ['-x', '-s', 'bash', ...scripts, path.join(HERE, 'ns-setup.sh')], { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, stdout, stderr }));
    });
    expect(r.stdout + r.stderr).toBe('');
  });
});

describe('stop()', requires(hostsMissing()), () => {
  it('leaves no sshd, namespace, mount, address lock or directory behind', async () => {
    const own = await startHosts(1);
    const h = own.hosts[0]!;
    const pids = h.pids();
    const sshdPid = h.sshdPid()!;
    expect(pids).toContain(sshdPid);
    expect((await sh('pgrep', ['-x', 'sshd'])).stdout.split('\n')).toContain(String(sshdPid));
    await own.stop();
    const after = (await sh('pgrep', ['-x', 'sshd'])).stdout.split('\n');
    for (const p of pids) expect(after).not.toContain(String(p));
    for (const p of pids) expect(fs.existsSync(`/proc/${p}`)).toBe(false);
    expect(fs.existsSync(own.dir)).toBe(false);
    expect(fs.existsSync(`/tmp/hobbykube-hosts-locks/${h.address}`)).toBe(false);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toMatch(/hk-(priv|run|tmp|etc)|hobbykube/);
  });

  it('leaves nothing behind after its sshd was frozen and thawed, not even the nsenter outside the namespace', async () => {
    // nsenter stops itself when its child (the listener) is stopped; left stopped it never reaps
    // the listener, and the namespace's init then waits forever for it (found by issue 12).
    const own = await startHosts(1);
    const h = own.hosts[0]!;
    const listener = h.sshdPid()!;
    const nsenter = Number(fs.readFileSync(`/proc/${listener}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const pids = [...h.pids(), nsenter];
    h.signalSshd('SIGSTOP');
    h.signalSshd('SIGCONT');
    const thawed = await sh('ssh', ['-i', own.keyPath, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${own.knownHostsPath}`, '-o', 'BatchMode=yes',
      '-o', 'LogLevel=ERROR', '-p', String(h.port), `${own.users.nopasswd}@${h.address}`, 'echo thawed']);
    expect(thawed.stdout).toBe('thawed\n');
    h.signalSshd('SIGSTOP'); // and stopped for good, as a test that fails halfway may leave it
    await own.stop();
    const alive = pids.filter((p) => fs.existsSync(`/proc/${p}`)).map((p) => `${p} ${fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(' ').slice(1, 3).join(' ')}`);
    expect(alive).toEqual([]);
  });
});

describe('ip double: each host has its own interface table (interfaceAddresses)', requires(hostsMissing()), () => {
  let ipBed: TestBed;
  beforeAll(async () => {
    ipBed = await startHosts([{ name: 'pub' }, { name: 'nat', interfaceAddresses: ['10.0.0.5/24', '2001:db8::5/64', 'eth1 10.1.0.5/16'] }]);
  });
  afterAll(async () => ipBed?.stop());

  it('shows the host\'s own address on eth0 by default, and only the listed ones for a NAT\'d host, as iproute2 prints them', async () => {
    const [pub, nat] = ipBed.hosts as [TestHost, TestHost];
    const own = await pub.rootExec('ip -o addr show scope global');
    expect(own.stdout).toBe(`2: eth0    inet ${pub.address}/8 scope global eth0\\       valid_lft forever preferred_lft forever\n`);
    const all = await nat.rootExec('ip -o addr show');
    expect(all.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      '1: lo inet 127.0.0.1/8',
      '1: lo inet6 ::1/128',
      '2: eth0 inet 10.0.0.5/24',
      '2: eth0 inet6 2001:db8::5/64',
      '3: eth1 inet 10.1.0.5/16',
    ]);
    expect(all.stdout).not.toContain(nat.address);
    expect((await nat.rootExec('ip -o -4 route show default')).stdout).toBe('default via 10.0.0.1 dev eth0 proto static \n');
    expect((await nat.rootExec('ip -4 -o addr show dev eth1')).stdout).toMatch(/^3: eth1 {4}inet 10\.1\.0\.5\/16 scope global eth1\\/);
    const change = await nat.rootExec('ip addr add 10.9.9.9/24 dev eth0');
    expect(change.code).toBe(1);
    expect(change.stderr).toContain("would change this machine's network");
  });
});
