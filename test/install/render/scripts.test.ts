// What the rendered scripts say: quoting, pins, idempotence guards, and the containerd rewrite.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sh } from '../../../src/shell/quote.js';
import {
  CONTAINERD_AWK,
  CONTAINERD_V3_CHECK_AWK,
  RUNC_OPTIONS_TABLE_V3,
  containerdStep,
  endpointHostsStep,
  flannelPublicIpStep,
  FLANNEL_IMAGE,
  flannelObjects,
  renderFlannel,
  corednsStep,
  dnsCheckStep,
  fetchAdminConfStep,
  flannelStep,
  kubernetesPackagesStep,
  mintJoinTokenStep,
  prepareSteps,
  renderCorednsConfigMap,
  renderCorefile,
  resetStep,
  resetWipes,
  resolvedDropIn,
  resolvedStep,
  waitReadyStep,
} from '../../../src/install/render/index.js';

describe('prepare steps', () => {
  it('adds the resolved step only where the stub is in use', () => {
    const ids = (stub: boolean) => prepareSteps({ kubernetesVersion: '1.37', upstreamDns: ['1.1.1.1'], resolvedStub: stub }).map((s) => s.id);
    expect(ids(true)).toEqual([
      'prepare.swap',
      'prepare.kernel',
      'prepare.packages',
      'prepare.containerd',
      'prepare.kubernetes',
      'prepare.sandbox-image',
      'prepare.resolved',
    ]);
    expect(ids(false)).not.toContain('prepare.resolved');
  });

  it('pins a patch release with a quoted apt glob, and uses the minor repository', () => {
    const pinned = kubernetesPackagesStep('1.37.2');
    expect(pinned.action).toContain("'kubelet=1.37.2-*' 'kubeadm=1.37.2-*' 'kubectl=1.37.2-*'");
    expect(pinned.action).toContain('https://pkgs.k8s.io/core:/stable:/v1.37/deb/Release.key');
    expect(pinned.probe).toMatch(/\n {2}v1\.37\.2\) ;;\n/);
    const minor = kubernetesPackagesStep('1.37');
    expect(minor.action).toContain('--allow-change-held-packages kubelet kubeadm kubectl\n');
    expect(minor.probe).toMatch(/\n {2}v1\.37\.\*\) ;;\n/);
    expect(minor.action).toContain("'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /'");
  });

  it('writes the resolved drop-in as one quoted word, and refuses loopback upstreams', () => {
    const content = resolvedDropIn(['1.1.1.1', '2606:4700:4700::1111']);
    expect(content).toContain('\n[Resolve]\nDNS=1.1.1.1 2606:4700:4700::1111\n');
    const step = resolvedStep(['1.1.1.1', '2606:4700:4700::1111']);
    expect(step.action).toContain(`printf '%s' '${content.replace(/'/g, `'\\''`)}' >/etc/systemd/resolved.conf.d/hobbykube.conf`);
    expect(() => resolvedDropIn(['127.0.0.53'])).toThrow(/loopback/);
    expect(() => resolvedDropIn(['1.1.1.1\nDNSStubListener=no'])).toThrow();
    expect(() => resolvedDropIn([])).toThrow();
  });

  it('waits for the dpkg lock and never prompts', () => {
    const containerd = prepareSteps({ kubernetesVersion: '1.37', upstreamDns: ['1.1.1.1'], resolvedStub: false })[3]!.scripts;
    expect(containerd.action).toContain('DPkg::Lock::Timeout=120');
    expect(containerd.action).toContain('export DEBIAN_FRONTEND=noninteractive');
  });
});

describe('containerd config rewrite', () => {
  const run = (config: string, pause: string) => {
    const result = spawnSync('awk', ['-v', `pause=${pause}`, CONTAINERD_AWK], { input: config, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  };

  it('containerd 1.x: SystemdCgroup, CRI enabled, sandbox_image', () => {
    const out = run(
      [
        'disabled_plugins = ["cri"]',
        'version = 2',
        '[plugins]',
        '  [plugins."io.containerd.grpc.v1.cri"]',
        '    sandbox_image = "registry.k8s.io/pause:3.8"',
        '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
        '      BinaryName = ""',
        '      SystemdCgroup = false',
        '    [plugins."io.containerd.grpc.v1.cri".registry]',
        '      config_path = ""',
        '',
      ].join('\n'),
      'registry.k8s.io/pause:3.10.1',
    );
    expect(out).toContain('disabled_plugins = []\n');
    expect(out).toContain('      SystemdCgroup = true\n');
    expect(out).not.toContain('SystemdCgroup = false');
    expect(out).toContain('    sandbox_image = "registry.k8s.io/pause:3.10.1"\n');
  });

  it('containerd 2.x: adds SystemdCgroup when missing, sets pinned sandbox, leaves other tables alone', () => {
    const input = [
      'version = 3',
      'disabled_plugins = []',
      '[plugins]',
      "  [plugins.'io.containerd.cri.v1.images'.pinned_images]",
      "    sandbox = 'registry.k8s.io/pause:3.10'",
      "  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
      "    BinaryName = ''",
      "  [plugins.'io.containerd.cri.v1.runtime'.cni]",
      "    bin_dirs = ['/opt/cni/bin']",
      '',
    ].join('\n');
    const out = run(input, 'registry.k8s.io/pause:3.10.1');
    expect(out).toContain("    BinaryName = ''\n    SystemdCgroup = true\n  [plugins.'io.containerd.cri.v1.runtime'.cni]");
    expect(out).toContain('    sandbox = "registry.k8s.io/pause:3.10.1"\n');
    expect(out).toContain("bin_dirs = ['/opt/cni/bin']");
    // without a pause image the sandbox stays as it was; running twice changes nothing more
    const once = run(input, '');
    expect(once).toContain("sandbox = 'registry.k8s.io/pause:3.10'");
    expect(run(once, '')).toBe(once);
  });
});

describe('cluster steps', () => {
  it('renders flannel as objects with the chosen backend, the pod subnet and a memory limit; no download', () => {
    const netConfOf = (backend: 'wireguard' | 'vxlan', subnet?: string) => {
      const cm = flannelObjects(backend, subnet).find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> };
      return JSON.parse(cm.data['net-conf.json']!) as Record<string, unknown>;
    };
    expect(netConfOf('wireguard', '10.32.0.0/12')).toEqual({ Network: '10.32.0.0/12', EnableNFTables: false, Backend: { Type: 'wireguard', ListenPort: 51820, PersistentKeepaliveInterval: 25 } });
    expect(netConfOf('vxlan')).toEqual({ Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan', Port: 8472 } });
    const ds = flannelObjects('wireguard').find((o) => o.kind === 'DaemonSet') as any;
    expect(ds.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { memory: '50Mi' } });
    expect(ds.spec.template.spec.containers[0].image).toBe(FLANNEL_IMAGE);

    const wg = flannelStep('wireguard', '10.32.0.0/12');
    expect(wg.action).not.toMatch(/curl|wget|https:\/\//);
    expect(wg.action).toContain(sh`printf '%s' ${renderFlannel('wireguard', '10.32.0.0/12').manifest} | kc apply -f -`);
    expect(wg.action).not.toMatch(/&a\d|\*a\d/); // no YAML anchors or aliases
    expect(wg.describe).toContain('WireGuard');
    // The probe's memory is the hash of what was rendered: another backend is another hash.
    expect(wg.probe).toContain(renderFlannel('wireguard', '10.32.0.0/12').sha);
    expect(renderFlannel('vxlan').sha).not.toBe(renderFlannel('wireguard').sha);
    expect(() => flannelStep('wireguard', '10.32.0.0/12; reboot')).toThrow();
  });

  it("renders CoreDNS's ConfigMap with forward . to the upstream servers", () => {
    expect(renderCorefile(['1.1.1.1', '9.9.9.9'])).toContain('    forward . 1.1.1.1 9.9.9.9 {\n       max_concurrent 1000\n    }\n');
    const configMap = parse(renderCorednsConfigMap(['1.1.1.1']));
    expect(configMap.metadata).toEqual({ name: 'coredns', namespace: 'kube-system' });
    expect(configMap.data.Corefile).toBe(renderCorefile(['1.1.1.1']));
    expect(configMap.data.Corefile).not.toContain('/etc/resolv.conf');
    const step = corednsStep(['1.1.1.1']);
    expect(step.action).toContain('rollout restart deployment coredns');
    expect(() => corednsStep(['127.0.0.53'])).toThrow();
  });

  it('remembers a passed DNS check per Corefile', () => {
    const a = dnsCheckStep({ upstreamDns: ['1.1.1.1'] });
    const b = dnsCheckStep({ upstreamDns: ['9.9.9.9'] });
    expect(a.probe).toContain("jsonpath='{.metadata.annotations.hobbykube\\.dev/dns-verified}'");
    expect(a.probe).not.toBe(b.probe);
    expect(() => dnsCheckStep({ upstreamDns: ['1.1.1.1'], externalName: 'x; reboot' })).toThrow();
  });

  it('marks secret output and read-only steps', () => {
    expect(mintJoinTokenStep().secretOutput).toBe(true);
    expect(mintJoinTokenStep().action).toContain('kubeadm token create --print-join-command --ttl 15m');
    expect(fetchAdminConfStep()).toMatchObject({ secretOutput: true, readOnly: true });
  });

  it('validates node names before they reach a script', () => {
    expect(waitReadyStep('w1').action).toContain('kc wait --for=condition=Ready node/w1 --timeout=300s');
    expect(() => waitReadyStep("w1'; reboot; '")).toThrow(/node name/);
    expect(() => waitReadyStep('$(reboot)')).toThrow(/node name/);
  });

  it('reset removes etcd data only on the control plane and names everything it wipes', () => {
    expect(resetStep('control-plane').action).toContain('\nrm -rf /var/lib/etcd\n');
    expect(resetStep('worker').action).not.toContain('rm -rf /var/lib/etcd');
    expect(resetWipes('control-plane').join('\n')).toMatch(/\/var\/lib\/etcd/);
    expect(resetWipes('worker').join('\n')).not.toMatch(/\/var\/lib\/etcd/);
    expect(resetStep('worker').action).toContain("grep -Ev 'KUBE-|FLANNEL|CNI-|cni0|flannel\\.'");
  });
});

describe('containerd 2.x: the source, and the config checked against the 2.x layout', () => {
  const doubles = new URL('../../hosts/doubles/', import.meta.url);
  const v3Default = readFileSync(new URL('containerd-config-default-v3.toml', doubles), 'utf8');
  const v2Default = readFileSync(new URL('containerd-config-default.toml', doubles), 'utf8');
  const rewrite = (config: string, pause = '') =>
    spawnSync('awk', ['-v', `pause=${pause}`, CONTAINERD_AWK], { input: config, encoding: 'utf8' }).stdout;
  const ready = (config: string) =>
    spawnSync('awk', ['-v', `table_sq=${RUNC_OPTIONS_TABLE_V3}`, '-v', 'table_dq=[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]', CONTAINERD_V3_CHECK_AWK], {
      input: config,
      encoding: 'utf8',
    }).status;

  it("containerd 2.x's default config, rewritten, is version 3 with SystemdCgroup in the 2.x runc table and the pinned sandbox", () => {
    expect(ready(v3Default)).toBe(1); // 2.x's default leaves SystemdCgroup out
    const out = rewrite(v3Default, 'registry.k8s.io/pause:3.10.1');
    expect(ready(out)).toBe(0);
    const table = out.slice(out.indexOf(RUNC_OPTIONS_TABLE_V3));
    expect(table.split('\n').slice(0, 10)).toContain("            SystemdCgroup = true");
    expect(out).toMatch(/\[plugins\.'io\.containerd\.cri\.v1\.images'\.pinned_images\]\n {6}sandbox = "registry\.k8s\.io\/pause:3\.10\.1"\n/);
    expect(out).toMatch(/^version = 3$/m);
    expect(out).toMatch(/^disabled_plugins = \[\]$/m);
  });

  it('a 1.x config does not pass for 2.x, even with SystemdCgroup = true in its own table; nor does a disabled CRI plugin', () => {
    const rewritten1x = rewrite(v2Default, 'registry.k8s.io/pause:3.10.1');
    expect(rewritten1x).toContain('SystemdCgroup = true');
    expect(ready(rewritten1x)).toBe(1);
    const criOff = rewrite(v3Default).replace('disabled_plugins = []', 'disabled_plugins = ["io.containerd.grpc.v1.cri"]');
    expect(ready(criOff)).toBe(1);
    expect(ready(rewrite(v3Default).replace(/^version = 3$/m, 'version = 2'))).toBe(1);
  });

  it("installs containerd.io 2.x from Docker's signed repository, never the distribution's containerd, and stops before Docker Engine", () => {
    const step = containerdStep();
    expect(step.action).toContain("apt_get install -y 'containerd.io=2.*'");
    expect(step.action).not.toMatch(/apt_get install -y containerd\b(?!\.io)/);
    expect(step.action).toContain('signed-by=%s');
    expect(step.action).toContain('/etc/apt/keyrings/docker.asc');
    expect(step.action).toContain('https://download.docker.com/linux/$os_id');
    expect(step.action).toContain('for package in docker-ce docker.io docker-engine moby-engine; do');
    expect(step.probe).toContain('containerd_supported || exit 1');
    expect(step.probe).toContain('containerd_config_ready /etc/containerd/config.toml || exit 1');
  });
});

describe('NAT steps: the API endpoint in /etc/hosts, flannel public address', () => {
  it('writes one marked /etc/hosts line, quoted, and reset removes it', () => {
    const step = endpointHostsStep('api.home.hobbykube.internal', '10.0.0.5');
    expect(step.action).toContain("printf '%s\\n' '10.0.0.5 api.home.hobbykube.internal # hobbykube: the cluster API endpoint' >>\"$tmp\"");
    expect(step.probe).toContain("grep -Fxq '10.0.0.5 api.home.hobbykube.internal # hobbykube: the cluster API endpoint' /etc/hosts || exit 1");
    expect(resetStep('worker').action).toContain("grep -Fv '# hobbykube: the cluster API endpoint' /etc/hosts");
    expect(resetStep('worker').probe).toContain("grep -Fq '# hobbykube: the cluster API endpoint' /etc/hosts");
    expect(() => endpointHostsStep('api.home.hobbykube.internal', '2001:db8::5')).toThrow(/IPv4/);
    expect(() => endpointHostsStep('bad name', '10.0.0.5')).toThrow(/host name/);
  });

  it("annotates the node with flannel's public-ip-overwrite and restarts only that node's flannel pod when it registered another address", () => {
    const step = flannelPublicIpStep('w1', '203.0.113.11');
    expect(step.action).toContain('kc annotate node w1 flannel.alpha.coreos.com/public-ip-overwrite=203.0.113.11 --overwrite');
    expect(step.action).toContain('kc -n kube-flannel delete pod -l app=flannel --field-selector spec.nodeName=w1 --wait=false');
    expect(step.probe).toContain("-o jsonpath='{.metadata.annotations.flannel\\.alpha\\.coreos\\.com/public-ip-overwrite}'");
    expect(() => flannelPublicIpStep('w1', 'w1.example.com')).toThrow(/IPv4/);
  });
});
