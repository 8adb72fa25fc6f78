// The source document's own cluster, installed end to end on real sshd test hosts faking its
// memory: a 970 MiB / 2 CPU control plane and two 470 MiB / 1 CPU workers, with its four
// workloads (examples/source-cluster.yaml). apt-get, kubeadm, kubectl, helm, systemctl, swapon ...
// are recording doubles (doubles); the kubectl double schedules pods by their memory requests
// against each node's allocatable memory, as kube-scheduler does, so a plan that only fit on paper
// would leave pods Pending and the rollout would fail.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type Recording, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { MODELS } from '../support/k8s-schemas.js';
import { isMutating, line, writeBedSpec, type BedSpec } from './support.js';

const SLACK = 'xoxb-SOURCE-CLUSTER-distinctive-1234';
const KC = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("the source document's cluster on 970/470/470 MiB test hosts (recording doubles)", requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let first: ReturnType<typeof runCli>;
  let recorded: Record<string, Recording[]>;

  beforeAll(async () => {
    // MemAvailable as a fresh Debian VPS leaves it (~90 MiB used by the OS); the workers have no swap yet.
    bed = await startHosts([
      { name: 'cp1', os: 'debian-12', memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
      { name: 'w1', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
      { name: 'w2', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
    ]);
    spec = writeBedSpec(bed, { acceptUndersized: true, cluster: 'source' });
    // The nodes of the bed, the rest exactly as examples/source-cluster.yaml says.
    const example = parse(readFileSync(join(import.meta.dirname, '../../examples/source-cluster.yaml'), 'utf8'));
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.ingress = example.spec.ingress;
    doc.spec.workloads = example.spec.workloads;
    writeFileSync(spec.specPath, stringify(doc));
    first = runCli(['apply', '-f', spec.specPath, '--yes'], { env: { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK }, cwd: spec.dir, timeoutMs: 600_000 });
    recorded = Object.fromEntries(bed.hosts.map((h) => [h.name, h.recordings()]));
  }, 660_000);
  afterAll(async () => bed?.stop());

  it('the capacity check says it fits, and the install completes', () => {
    expect(first.stdout).toContain('Fits: every workload has room, with one extra pod per Deployment for rolling updates.');
    expect(first.stdout).toMatch(/^w1 {3}worker {11}470 {6}202 {9}268 /m);
    expect(first.stderr).not.toMatch(/FAIL/);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Cluster is up.');
    // Traefik from the checked archive in the control plane's chart cache (there already on the
    // test bed, harness profile traefikChart), never from the chart repository.
    expect(recorded.cp1!.map(line)).toContain('helm --kubeconfig /etc/kubernetes/admin.conf upgrade --install traefik /var/cache/hobbykube/charts/traefik-41.5.0.tgz --namespace traefik --create-namespace --values /etc/hobbykube/addons/traefik-values.yaml --wait --timeout 10m');
  });

  it('the workers get the swapfile, the control plane stays swap-free', async () => {
    for (const w of ['w1', 'w2']) {
      const lines = recorded[w]!.map(line);
      expect(lines).toContain('fallocate -l 960M /var/lib/hobbykube/swapfile.new');
      expect(lines).toContain('swapon /var/lib/hobbykube/swapfile');
      expect(lines).not.toContain('swapoff -a');
      const swaps = await bed.hosts.find((h) => h.name === w)!.rootExec('cat /proc/swaps; grep swapfile /etc/fstab');
      expect(swaps.stdout).toMatch(/^\/var\/lib\/hobbykube\/swapfile\s+file\s+983036\s/m);
      expect(swaps.stdout).toContain('/var/lib/hobbykube/swapfile none swap sw 0 0');
    }
    expect(recorded.cp1!.map(line)).toContain('swapoff -a');
    expect(recorded.cp1!.map(line).some((l) => /^(fallocate|mkswap|swapon \/)/.test(l))).toBe(false);
  });

  it("each kubelet runs with its own node's profile: LimitedSwap on the workers, reservations, maxPods", async () => {
    const w1 = parse((await bed.hosts[1]!.rootExec('cat /var/lib/kubelet/config.yaml')).stdout);
    expect(w1).toMatchObject({
      failSwapOn: false,
      memorySwap: { swapBehavior: 'LimitedSwap' },
      maxPods: 11,
      systemReserved: { memory: '80Mi' },
      kubeReserved: { memory: '102Mi' },
      evictionHard: { 'memory.available': '20Mi' },
    });
    const cp = parse((await bed.hosts[0]!.rootExec('cat /var/lib/kubelet/config.yaml')).stdout);
    expect(cp).toMatchObject({ maxPods: 24, systemReserved: { memory: '80Mi' }, kubeReserved: { memory: '134Mi' }, evictionHard: { 'memory.available': '100Mi' } });
    expect(cp).not.toHaveProperty('failSwapOn');
    // What the nodes report to the scheduler.
    const nodes = JSON.parse((await bed.hosts[0]!.rootExec(`${KC} get nodes -o json`)).stdout).items as Array<{ metadata: { name: string }; status: { allocatable: { memory: string; pods: string } } }>;
    expect(Object.fromEntries(nodes.map((n) => [n.metadata.name, `${n.status.allocatable.memory} ${n.status.allocatable.pods}`]))).toEqual({
      cp1: `${656 * 1024}Ki 24`,
      w1: `${268 * 1024}Ki 11`,
      w2: `${268 * 1024}Ki 11`,
    });
  });

  it('the static pods carry honest memory requests, and CoreDNS runs once, right-sized, on the control plane', async () => {
    const cp = bed.hosts[0]!;
    for (const [pod, memory] of [['kube-apiserver', '240Mi'], ['etcd', '64Mi'], ['kube-controller-manager', '48Mi'], ['kube-scheduler', '24Mi']]) {
      const manifest = parse((await cp.rootExec(`cat /etc/kubernetes/manifests/${pod}.yaml`)).stdout);
      expect(manifest.spec.containers[0].resources.requests.memory, pod).toBe(memory);
    }
    const coredns = JSON.parse((await cp.rootExec(`${KC} -n kube-system get deployment coredns -o json`)).stdout);
    expect(coredns.spec.replicas).toBe(1);
    expect(coredns.spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '50Mi' } });
    const pods = JSON.parse((await cp.rootExec(`${KC} -n kube-system get pods -l k8s-app=kube-dns -o json`)).stdout).items;
    expect(pods.map((p: { spec: { nodeName: string }; status: { phase: string } }) => `${p.spec.nodeName} ${p.status.phase}`)).toEqual(['cp1 Running']);
    // The DNS check still resolved a cluster name and an outside one.
    expect(first.stdout).toMatch(/Check cluster DNS/);
    const annotated = (await cp.rootExec(`${KC} -n kube-system get configmap coredns -o jsonpath='{.metadata.annotations}'`)).stdout;
    expect(annotated).toContain('hobbykube.dev/dns-verified');
  });

  it("Traefik gets its own ACME resolver, acme.json on w1's disk, and no cert-manager is installed", async () => {
    const helm = recorded.cp1!.filter((r) => r.argv[0] === 'helm' && r.argv.includes('upgrade'));
    expect(helm.map((r) => r.argv[r.argv.indexOf('--install') + 1])).toEqual(['traefik']);
    const values = parse(Object.values(helm[0]!.files!)[0]!);
    expect(values.certificatesResolvers.letsencrypt.acme).toEqual({
      email: 'me@example.com',
      caServer: 'https://acme-v02.api.letsencrypt.org/directory',
      storage: '/acme/acme.json',
      httpChallenge: { entryPoint: 'web' },
    });
    expect(values.ports.web.http.redirections.entryPoint).toEqual({ to: 'websecure', scheme: 'https', permanent: true });
    expect(values.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w1' });
    // Nothing installs cert-manager; the removal step's probe only asked whether one is there.
    const certManager = recorded.cp1!.map(line).filter((l) => /cert-manager|jetstack/.test(l));
    expect(certManager.length).toBeGreaterThan(0);
    for (const l of certManager) expect(l).toMatch(/^(helm --kubeconfig \S+ status cert-manager -n cert-manager|kubectl --kubeconfig \S+ --request-timeout=20s get (crd \S+cert-manager\.io|namespace cert-manager))$/);
    expect(recorded.cp1!.some((r) => (r.stdin ?? '').includes('ClusterIssuer'))).toBe(false);
    const dir = await bed.hosts[1]!.rootExec("stat -c '%u:%g %a' /var/lib/hobbykube/traefik");
    expect(dir.stdout.trim()).toBe('65532:65532 700');
    const traefik = JSON.parse((await bed.hosts[0]!.rootExec(`${KC} -n traefik get pods -o json`)).stdout).items;
    expect(traefik.map((p: { spec: { nodeName: string }; status: { phase: string } }) => `${p.spec.nodeName} ${p.status.phase}`)).toEqual(['w1 Running']);
  });

  it('every workload runs, scheduled by a third of its memory as request; the Ingress is HTTPS only through the resolver', async () => {
    const cp = bed.hosts[0]!;
    const deployed = JSON.parse((await cp.rootExec(`${KC} get deployments,statefulsets,cronjobs,ingresses -o json`)).stdout).items as Array<Record<string, any>>;
    const resources = Object.fromEntries(
      deployed
        .filter((o) => o.kind !== 'Ingress')
        .map((o) => {
          const pod = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
          return [o.metadata.name, pod.spec.containers[0].resources];
        }),
    );
    expect(resources).toEqual({
      chatbot: { requests: { memory: '32Mi' }, limits: { memory: '96Mi' } },
      mysql: { requests: { memory: '86Mi' }, limits: { memory: '256Mi' } },
      blog: { requests: { memory: '64Mi' }, limits: { memory: '192Mi' } },
      renew: { requests: { memory: '22Mi' }, limits: { memory: '64Mi' } },
      // The database's scheduled dump (batch priority, fixed request and limit: src/workloads/dump.ts).
      'mysql-dump': { requests: { memory: '32Mi' }, limits: { memory: '64Mi' } },
    });
    for (const o of deployed) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`]!;
      const { status: _status, ...spec } = o;
      const clean = { ...spec, metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels, ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}) } };
      expect(() => new Model(clean).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
    const ingress = deployed.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.tls.certresolver']).toBe('letsencrypt');
    expect(ingress.spec.tls).toEqual([{ hosts: ['blog.example.com'] }]);
    const pods = JSON.parse((await cp.rootExec(`${KC} get pods -o json`)).stdout).items as Array<{ metadata: { name: string }; spec: { nodeName?: string }; status: { phase: string } }>;
    expect(pods.every((p) => p.status.phase === 'Running'), JSON.stringify(pods.map((p) => [p.metadata.name, p.spec.nodeName, p.status.phase]))).toBe(true);
    expect(pods.find((p) => p.metadata.name.startsWith('mysql-'))!.spec.nodeName).toBe('w2');
    // The secret reached the cluster only on stdin.
    for (const h of bed.hosts) for (const r of h.recordings()) expect(r.argv.join(' ')).not.toContain(SLACK);
  });

  it('a second apply changes nothing', () => {
    for (const h of bed.hosts) h.clearRecordings();
    const second = runCli(['apply', '-f', spec.specPath, '--yes'], { env: { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK }, cwd: spec.dir, timeoutMs: 600_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Cluster is up\. 0 steps run, \d+ already done/);
    for (const h of bed.hosts) expect(h.recordings().filter(isMutating).map(line), h.name).toEqual([]);
  });

  it("migrates a cluster that still has an earlier hobbykube's cert-manager: removed after Traefik, certificates issued again", async () => {
    const cp = bed.hosts[0]!;
    // What an earlier release installed: the chart (with its CRDs) and a Let's Encrypt ClusterIssuer.
    const old = await cp.rootExec(
      `helm --kubeconfig /etc/kubernetes/admin.conf upgrade --install cert-manager cert-manager --repo https://charts.jetstack.io --version v1.21.2 --namespace cert-manager --create-namespace && ` +
        `printf '%s\n' 'apiVersion: cert-manager.io/v1' 'kind: ClusterIssuer' 'metadata: {name: letsencrypt-production}' 'spec: {acme: {email: me@example.com, server: https://acme-v02.api.letsencrypt.org/directory, privateKeySecretRef: {name: letsencrypt-production-account}, solvers: [{http01: {ingress: {ingressClassName: traefik}}}]}}' | ${KC} apply -f -`,
    );
    expect(old.code, old.stderr).toBe(0);
    for (const h of bed.hosts) h.clearRecordings();
    const plan = runCli(['plan', '-f', spec.specPath], { env: spec.env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(plan.stdout).toMatch(/run +Remove cert-manager left by an earlier hobbykube \(Traefik's ACME resolver replaces it: every app's certificate is issued again\)/);
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK }, cwd: spec.dir, timeoutMs: 600_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cluster is up\. 1 steps? run/);
    const lines = cp.recordings().map(line);
    expect(lines).toContain('helm --kubeconfig /etc/kubernetes/admin.conf uninstall cert-manager -n cert-manager --wait --timeout 5m');
    const left = await cp.rootExec(`${KC} get crd -o name; ${KC} get namespace cert-manager 2>&1; helm --kubeconfig /etc/kubernetes/admin.conf list -n cert-manager`);
    expect(left.stdout).not.toContain('cert-manager.io');
    expect(left.stdout + left.stderr).toContain('namespaces "cert-manager" not found');
    // Traefik was not touched by the migration.
    expect(lines.some((l) => /helm .*upgrade --install traefik/.test(l))).toBe(false);
  });

  it('plan --out shows the swapfile, the kubelet swap and reservation settings, the static pod patches and the ACME values; no cert-manager install', () => {
    const out = join(spec.dir, 'plan-out');
    const plan = runCli(['plan', '-f', spec.specPath, '--out', out], { env: spec.env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('If every pod used its memory limit at once');
    expect(plan.stdout).toContain('Fits: every workload has room');
    const written = files(out);
    const text = (pattern: RegExp) => written.filter((f) => pattern.test(f.slice(out.length))).map((f) => readFileSync(f, 'utf8'));
    // The swapfile, on the workers only.
    expect(text(/^\/w1\/.*swap\/action\.sh$/).join('')).toContain('fallocate -l "$size_mib"M "$file.new"');
    expect(text(/^\/cp1\/.*swap\/action\.sh$/).join('')).toContain('swapoff -a');
    // The kubelet's swap and reservations: the workers' patches (sent with the join).
    const w1Kubelet = parse(text(/^\/w1\/.*join\/file_etc_hobbykube_kubeadm-patches_kubeletconfiguration_merge\.yaml$/)[0]!);
    expect(w1Kubelet).toMatchObject({ failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' }, maxPods: 11, kubeReserved: { memory: '102Mi' } });
    // The static pod and CoreDNS patches, with the init.
    const patches = written.filter((f) => /\/cp1\/.*init\/file_etc_hobbykube_kubeadm-patches_/.test(f)).map((f) => f.replace(/.*kubeadm-patches_/, '')).sort();
    // (`plan --out` writes `+` as `_` in file names.)
    expect(patches).toEqual(['corednsdeployment_strategic.yaml', 'etcd_strategic.yaml', 'kube-apiserver_strategic.yaml', 'kube-controller-manager_strategic.yaml', 'kube-scheduler_strategic.yaml', 'kubeletconfiguration_merge.yaml']);
    // Traefik's ACME configuration, in its values file.
    const values = parse(text(/\/cp1\/.*traefik\/file_etc_hobbykube_addons_traefik-values\.yaml$/)[0]!);
    expect(values.certificatesResolvers.letsencrypt.acme.httpChallenge).toEqual({ entryPoint: 'web' });
    // No cert-manager is installed (a step removes one an earlier hobbykube left, if any).
    const everything = written.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(everything).not.toMatch(/jetstack|ClusterIssuer|cert-manager-values|cert-manager\.io\/cluster-issuer/);
    expect(written.filter((f) => /cert-manager/.test(f.slice(out.length))).every((f) => /cert-manager-removal/.test(f))).toBe(true);
    // Every script passes shellcheck, every object the schemas.
    for (const script of written.filter((f) => f.endsWith('.sh'))) {
      const check = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', script], { encoding: 'utf8' });
      expect(check.stdout, script).toBe('');
    }
    let objects = 0;
    for (const file of written.filter((f) => f.endsWith('manifests.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const o = doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string } };
        expect(() => new MODELS[`${o.apiVersion}/${o.kind}`]!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
        objects += 1;
      }
    }
    expect(objects).toBeGreaterThan(12);
  });

  it('reset of the whole cluster takes the swapfiles back', async () => {
    const r = runCli(['reset', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    for (const w of bed.hosts.slice(1)) {
      const left = await w.rootExec('ls /var/lib/hobbykube/swapfile 2>&1; cat /proc/swaps; cat /etc/fstab');
      expect(left.stdout).toContain('No such file or directory');
      expect(left.stdout).not.toMatch(/^\/var\/lib\/hobbykube\/swapfile/m);
    }
  });
});

