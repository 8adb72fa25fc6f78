// Spec validation: every rule, with the exact message a person sees, from real files on disk.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecFile } from '../../src/spec/file.js';
import { formatProblem } from '../../src/spec/problems.js';
import { validateObject } from '../../src/spec/validate.js';

const fixtures = join(import.meta.dirname, '../fixtures/specs');
const dir = mkdtempSync(join(tmpdir(), 'hk-spec-'));

function problemsOf(path: string): string[] {
  const read = readSpecFile(path);
  return read.problems.map((p) => formatProblem(p, 'spec.yaml'));
}

/** A valid base spec as text; `edit` swaps one line so each case changes exactly one field. */
const BASE = `apiVersion: hobbykube.dev/v1alpha1
kind: Cluster
metadata:
  name: home
spec:
  kubernetesVersion: "1.37"
  nodes:
    - name: cp1
      address: 203.0.113.10
      role: control-plane
      ssh:
        user: ubuntu
        port: 22
        keyPath: ~/.ssh/id_ed25519
    - name: w1
      address: 203.0.113.11
      role: worker
  dns:
    upstream: [1.1.1.1, 9.9.9.9]
  ingress:
    node: w1
    email: me@example.com
  workloads:
    - kind: worker
      name: chatbot
      image: ghcr.io/me/bot:1.2
      memory: 128Mi
      env:
        SLACK_CHANNEL: general
      secretEnv: [SLACK_TOKEN]
    - kind: database
      name: mysql
      node: w1
      storage: 5Gi
    - kind: app
      name: blog
      image: ghcr.io/me/blog:3
      port: 3000
      domain: blog.example.com
    - kind: cron
      name: cleanup
      schedule: "0 3 * * *"
      image: busybox:1.36
`;

let counter = 0;
function specWith(from: string, to: string): string {
  expect(BASE).toContain(from);
  const path = join(dir, `case-${(counter += 1)}.yaml`);
  writeFileSync(path, BASE.replace(from, to));
  return path;
}

describe('a valid spec', () => {
  it('loads the base spec with defaults filled in', () => {
    const read = readSpecFile(specWith('name: home', 'name: home'));
    expect(read.problems).toEqual([]);
    const spec = read.spec!;
    expect(spec.spec.nodes[1]).toEqual({ name: 'w1', address: '203.0.113.11', role: 'worker', schedulable: false, ssh: {}, acceptUndersized: false });
    expect(spec.spec.ingress).toEqual({ node: 'w1', email: 'me@example.com', acme: 'production' });
    // Default memory: the source document's own workloads (DEFAULTS.memory in validate.ts).
    expect(spec.spec.workloads[1]).toEqual({ kind: 'database', name: 'mysql', node: 'w1', storage: '5Gi', memory: '256Mi', image: 'mysql:8.4' });
    expect(spec.spec.workloads[2]).toMatchObject({ kind: 'app', replicas: 1, healthPath: '/', memory: '192Mi', env: {}, secretEnv: [] });
    expect(spec.spec.workloads[2]).not.toHaveProperty('memoryRequest');
  });

  it('accepts the README example and a minimal spec', () => {
    expect(readSpecFile(join(fixtures, 'valid-full.yaml')).problems).toEqual([]);
    const minimal = readSpecFile(join(fixtures, 'minimal.yaml'));
    expect(minimal.problems).toEqual([]);
    expect(minimal.spec!.spec.kubernetesVersion).toBe('1.37');
    expect(minimal.spec!.spec.workloads).toEqual([]);
  });

  it.each([
    ['address: 203.0.113.10', 'address: vps1.example.com'],
    ['address: 203.0.113.10', 'address: myvps'],
    ['kubernetesVersion: "1.37"', 'kubernetesVersion: "1.31.4"'],
    ['upstream: [1.1.1.1, 9.9.9.9]', 'upstream: ["2606:4700:4700::1111"]'],
    ['image: busybox:1.36', 'image: registry.example.com:5000/team/job@sha256:' + 'a'.repeat(64)],
    ['schedule: "0 3 * * *"', 'schedule: "@hourly"'],
    ['schedule: "0 3 * * *"', 'schedule: "*/15 9-17 * jan-mar mon-fri"'],
    ['memory: 128Mi', 'memory: 1Gi'],
    ['SLACK_CHANNEL: general', 'PORT: "3000"'],
    ['SLACK_CHANNEL: general', 'FLAG: yes'],
    ['SLACK_CHANNEL: general', 'EMPTY: ""'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: docker.io/library/mysql:8.0.36'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: registry.example.com/mirror/mysql@sha256:' + 'b'.repeat(64)],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: percona/percona-server:8.0\n      mysqlCompatible: true'],
    ['    - name: cp1', '    - name: "012"'],
  ])('accepts %s -> %s', (from, to) => {
    expect(problemsOf(specWith(from, to))).toEqual([]);
  });
});

describe('each rule names the field, the value, what is accepted, and where', () => {
  it.each([
    ['apiVersion: hobbykube.dev/v1alpha1', 'apiVersion: v1', 'spec.yaml:1:13: apiVersion: got "v1", expected hobbykube.dev/v1alpha1'],
    ['kind: Cluster', 'kind: Pod', 'spec.yaml:2:7: kind: got "Pod", expected Cluster'],
    ['  name: home', '  name: My_Home', 'spec.yaml:4:9: metadata.name: got "My_Home", expected a name of lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit (e.g. cp1)'],
    ['kubernetesVersion: "1.37"', 'kubernetesVersion: 1.30', 'spec.yaml:6:22: spec.kubernetesVersion: got 1.30 (a number), expected a Kubernetes minor version from 1.31 on, quoted, such as "1.37" (or a patch release such as "1.37.1") (YAML reads an unquoted 1.30 as the number 1.3)'],
    ['kubernetesVersion: "1.37"', 'kubernetesVersion: "1.28"', 'spec.yaml:6:22: spec.kubernetesVersion: got "1.28", expected a Kubernetes minor version from 1.31 on, quoted, such as "1.37" (or a patch release such as "1.37.1")'],
    ['    - name: cp1', '    - name: CP_1', 'spec.yaml:8:13: spec.nodes[0].name: got "CP_1", expected a name of lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit (e.g. cp1)'],
    ['    - name: cp1', '    - name: w1', 'spec.yaml:15:13: spec.nodes[1].name: got "w1", expected a name not used by another node (spec.nodes[0] has it)'],
    ['address: 203.0.113.10', 'address: 203.0.113.300', 'spec.yaml:9:16: spec.nodes[0].address: got "203.0.113.300", expected an IPv4 address (203.0.113.10) or a host name (vps1.example.com)'],
    ['address: 203.0.113.10', 'address: "bad host!"', 'spec.yaml:9:16: spec.nodes[0].address: got "bad host!", expected an IPv4 address (203.0.113.10) or a host name (vps1.example.com)'],
    // IPv6 (decided in issue 14): refused with what is supported, control plane and workers alike.
    ['address: 203.0.113.10', 'address: 2001:db8::10', 'spec.yaml:9:16: spec.nodes[0].address: got "2001:db8::10", expected an IPv4 address (203.0.113.10) or a host name (vps1.example.com): hobbykube builds an IPv4 cluster, so IPv6 node addresses are not supported'],
    ['address: 203.0.113.11', 'address: "2001:db8::11"', 'spec.yaml:16:16: spec.nodes[1].address: got "2001:db8::11", expected an IPv4 address (203.0.113.10) or a host name (vps1.example.com): hobbykube builds an IPv4 cluster, so IPv6 node addresses are not supported'],
    ['address: 203.0.113.11', 'address: 203.0.113.10', 'spec.yaml:16:16: spec.nodes[1].address: got "203.0.113.10", expected an address and SSH port not used by another node (spec.nodes[0] has them)'],
    ['role: worker', 'role: master', 'spec.yaml:17:13: spec.nodes[1].role: got "master", expected one of control-plane, worker'],
    ['role: control-plane', 'role: worker', 'spec.yaml:8:5: spec.nodes: expected exactly one node with role: control-plane (none has it)'],
    ['role: worker', 'role: control-plane', 'spec.yaml:8:5: spec.nodes: expected exactly one node with role: control-plane (spec.nodes[0], spec.nodes[1] have it)'],
    ['role: worker', 'role: worker\n      schedulable: true', 'spec.yaml:18:20: spec.nodes[1].schedulable: applies only to the control-plane node (workers always run workloads); remove it'],
    ['port: 22', 'port: 0', 'spec.yaml:13:15: spec.nodes[0].ssh.port: got 0 (a number), expected a port number from 1 to 65535'],
    ['port: 22', 'port: "ssh"', 'spec.yaml:13:15: spec.nodes[0].ssh.port: got "ssh", expected a port number from 1 to 65535'],
    ['user: ubuntu', 'user: "ub untu"', 'spec.yaml:12:15: spec.nodes[0].ssh.user: got "ub untu", expected a login name such as ubuntu or root (letters, digits, "_", "." and "-", up to 32 characters)'],
    ['keyPath: ~/.ssh/id_ed25519', 'keyPath: ""', 'spec.yaml:14:18: spec.nodes[0].ssh.keyPath: got "", expected the path of a private key file, such as ~/.ssh/id_ed25519'],
    ['        port: 22', '        prot: 22', 'spec.yaml:13:9: spec.nodes[0].ssh.prot: unknown key "prot" (did you mean port?); expected one of user, port, keyPath'],
    ['upstream: [1.1.1.1, 9.9.9.9]', 'upstream: [127.0.0.53]', 'spec.yaml:19:16: spec.dns.upstream[0]: got "127.0.0.53", expected a DNS server reachable from inside the cluster, not a loopback address (127.0.0.53 is systemd-resolved\'s local stub; use the servers it forwards to)'],
    ['upstream: [1.1.1.1, 9.9.9.9]', 'upstream: [one.one.one.one]', 'spec.yaml:19:16: spec.dns.upstream[0]: got "one.one.one.one", expected an IP address of a DNS server, such as 1.1.1.1 or 2606:4700:4700::1111'],
    ['upstream: [1.1.1.1, 9.9.9.9]', 'upstream: []', 'spec.yaml:19:15: spec.dns.upstream: got 0 servers, expected 1 to 3'],
    ['upstream: [1.1.1.1, 9.9.9.9]', 'upstream: [1.1.1.1, 1.1.1.1]', 'spec.yaml:19:25: spec.dns.upstream[1]: got "1.1.1.1", expected a server not already listed'],
    ['  dns:\n    upstream: [1.1.1.1, 9.9.9.9]\n', '', 'spec.yaml:6:3: spec.dns: missing; expected a mapping with upstream: a list of 1 to 3 DNS server IP addresses (cluster DNS forwards outside names to them)'],
    ['    node: w1\n    email', '    node: w7\n    email', 'spec.yaml:21:11: spec.ingress.node: got "w7", expected the name of a node in spec.nodes (cp1, w1)'],
    ['email: me@example.com', 'email: me-at-example', 'spec.yaml:22:12: spec.ingress.email: got "me-at-example", expected an email address for Let\'s Encrypt expiry notices, such as me@example.com'],
    ['email: me@example.com', 'email: me@example.com\n    acme: prod', 'spec.yaml:23:11: spec.ingress.acme: got "prod", expected one of production, staging'],
    ['  ingress:\n    node: w1\n    email: me@example.com\n', '', 'spec.yaml:36:15: spec.workloads[2].domain: an app with a domain needs spec.ingress (node for web traffic and email for Let\'s Encrypt); add it or remove the domain'],
    ['name: chatbot', 'name: chat_bot', 'spec.yaml:25:13: spec.workloads[0].name: got "chat_bot", expected a name of lower-case letters, digits and "-", 1-52 characters, starting with a letter and ending with a letter or digit (e.g. blog)'],
    ['name: chatbot', 'name: blog', 'spec.yaml:36:13: spec.workloads[2].name: got "blog", expected a name not used by another workload (spec.workloads[0] has it)'],
    ['kind: worker', 'kind: proxy', 'spec.yaml:24:13: spec.workloads[0].kind: got "proxy", expected one of worker, database, app, cron (the reverse proxy is spec.ingress)'],
    ['image: ghcr.io/me/bot:1.2', 'image: "Ghcr.io/me/Bot"', 'spec.yaml:26:14: spec.workloads[0].image: got "Ghcr.io/me/Bot", expected a container image reference such as ghcr.io/me/app:1.2 or mysql:8.4'],
    ['memory: 128Mi', 'memory: 128MB', 'spec.yaml:27:15: spec.workloads[0].memory: got "128MB", expected a memory size from 4Mi to 64Gi, such as 128Mi or 1Gi'],
    ['memory: 128Mi', 'memory: 1Mi', 'spec.yaml:27:15: spec.workloads[0].memory: got "1Mi", expected a memory size from 4Mi to 64Gi, such as 128Mi or 1Gi'],
    ['SLACK_CHANNEL: general', 'SLACK-CHANNEL: general', 'spec.yaml:29:9: spec.workloads[0].env.SLACK-CHANNEL: got "SLACK-CHANNEL" as a name, expected an environment variable name of letters, digits and "_", not starting with a digit (e.g. SLACK_TOKEN)'],
    ['secretEnv: [SLACK_TOKEN]', 'secretEnv: [SLACK_CHANNEL]', 'spec.yaml:30:19: spec.workloads[0].secretEnv[0]: got "SLACK_CHANNEL", expected a name not also in env (a variable is either plain or secret)'],
    ['node: w1\n      storage', 'node: w9\n      storage', 'spec.yaml:33:13: spec.workloads[1].node: got "w9", expected the name of a node in spec.nodes (cp1, w1)'],
    ['storage: 5Gi', 'storage: lots', 'spec.yaml:34:16: spec.workloads[1].storage: got "lots", expected a storage size from 1Mi to 16Ti, such as 5Gi'],
    ['port: 3000', 'port: 99999', 'spec.yaml:38:13: spec.workloads[2].port: got 99999 (a number), expected a port number from 1 to 65535'],
    ['      port: 3000\n', '', 'spec.yaml:35:7: spec.workloads[2].port: missing; expected the port the app listens on, from 1 to 65535 (e.g. 3000)'],
    ['domain: blog.example.com', 'domain: Blog.Example', 'spec.yaml:39:15: spec.workloads[2].domain: got "Blog.Example", expected a lower-case domain name such as blog.example.com'],
    ['schedule: "0 3 * * *"', 'schedule: "0 25 * * *"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "0 25 * * *", expected the hour (2nd field) as 0-23 (or *, a list a,b, a range a-b, a step */n), not "25", in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"'],
    ['schedule: "0 3 * * *"', 'schedule: "61 * * * *"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "61 * * * *", expected the minute (1st field) as 0-59 (or *, a list a,b, a range a-b, a step */n), not "61", in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"'],
    ['schedule: "0 3 * * *"', 'schedule: "0 3 * * 7"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "0 3 * * 7", expected the day of the week (5th field) as 0-6 (Sunday is 0) or sun-sat (or *, a list a,b, a range a-b, a step */n), not "7", in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"'],
    ['schedule: "0 3 * * *"', 'schedule: "0 3 1-40 * *"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "0 3 1-40 * *", expected the day of the month (3rd field) as 1-31 (or *, a list a,b, a range a-b, a step */n), not "1-40", in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"'],
    ['schedule: "0 3 * * *"', 'schedule: "@fortnightly"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "@fortnightly", expected a cron schedule of five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly'],
    ['image: ghcr.io/me/bot:1.2', 'image: nginx', 'spec.yaml:26:14: spec.workloads[0].image: got "nginx", expected an image with a tag or digest, such as nginx:1.2 or nginx@sha256:… (without one, each node pulls whatever "latest" is that day)'],
    ['image: ghcr.io/me/bot:1.2', 'image: registry.example.com:5000/me/bot', 'spec.yaml:26:14: spec.workloads[0].image: got "registry.example.com:5000/me/bot", expected an image with a tag or digest, such as registry.example.com:5000/me/bot:1.2 or registry.example.com:5000/me/bot@sha256:… (without one, each node pulls whatever "latest" is that day)'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: postgres:16', 'spec.yaml:35:14: spec.workloads[1].image: got "postgres:16", expected a MySQL image, 8.0.30 or newer, such as mysql:8.4 (any registry: .../mysql:TAG); for an image that works like it under another name (same settings, MYSQL_ROOT_PASSWORD, /var/lib/mysql), add mysqlCompatible: true'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: mariadb:11.4', 'spec.yaml:35:14: spec.workloads[1].image: got "mariadb:11.4", expected a MySQL image, 8.0.30 or newer, such as mysql:8.4 (any registry: .../mysql:TAG); for an image that works like it under another name (same settings, MYSQL_ROOT_PASSWORD, /var/lib/mysql), add mysqlCompatible: true'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: mysql:5.7', 'spec.yaml:35:14: spec.workloads[1].image: got "mysql:5.7", expected a MySQL image, 8.0.30 or newer, such as mysql:8.4 (any registry: .../mysql:TAG); for an image that works like it under another name (same settings, MYSQL_ROOT_PASSWORD, /var/lib/mysql), add mysqlCompatible: true'],
    ['      storage: 5Gi', '      storage: 5Gi\n      image: mysql:8.0.29', 'spec.yaml:35:14: spec.workloads[1].image: got "mysql:8.0.29", expected a MySQL image, 8.0.30 or newer, such as mysql:8.4 (any registry: .../mysql:TAG); for an image that works like it under another name (same settings, MYSQL_ROOT_PASSWORD, /var/lib/mysql), add mysqlCompatible: true'],
    ['      storage: 5Gi', '      storage: 5Gi\n      mysqlCompatible: yes', 'spec.yaml:35:24: spec.workloads[1].mysqlCompatible: got "yes", expected true or false'],
    ['SLACK_CHANNEL: general', 'PORT: 3000', 'spec.yaml:29:15: spec.workloads[0].env.PORT: got 3000 (a number), expected text (environment values are strings): quote it: "3000"'],
    ['SLACK_CHANNEL: general', 'VERSION: 1.10', 'spec.yaml:29:18: spec.workloads[0].env.VERSION: got 1.10 (a number), expected text (environment values are strings): quote it: "1.10" (YAML reads an unquoted 1.10 as the number 1.1)'],
    ['SLACK_CHANNEL: general', 'ZIP: 012345', 'spec.yaml:29:14: spec.workloads[0].env.ZIP: got 012345 (a number), expected text (environment values are strings): quote it: "012345" (YAML reads an unquoted 012345 as the number 12345)'],
    ['SLACK_CHANNEL: general', 'MODE: 0o17', 'spec.yaml:29:15: spec.workloads[0].env.MODE: got 0o17 (a number), expected text (environment values are strings): quote it: "0o17" (YAML reads an unquoted 0o17 as the number 15)'],
    ['SLACK_CHANNEL: general', 'ID: 12345678901234567890', 'spec.yaml:29:13: spec.workloads[0].env.ID: got 12345678901234567890 (a number), expected text (environment values are strings): quote it: "12345678901234567890" (YAML reads an unquoted 12345678901234567890 as the number 12345678901234567000)'],
    ['SLACK_CHANNEL: general', 'DEBUG: true', 'spec.yaml:29:16: spec.workloads[0].env.DEBUG: got true (a boolean), expected text (environment values are strings): quote it: "true"'],
    ['SLACK_CHANNEL: general', 'EMPTY:', 'spec.yaml:29:15: spec.workloads[0].env.EMPTY: got nothing, expected text (environment values are strings); for an empty value write ""'],
    ['SLACK_CHANNEL: general', 'NOTHING: ~', 'spec.yaml:29:18: spec.workloads[0].env.NOTHING: got ~ (YAML\'s null), expected text (environment values are strings): quote it: "~"'],
    ['      name: cleanup', '      name: cleanup\n      command: [sh, -c, 1.10]', 'spec.yaml:42:25: spec.workloads[3].command[2]: got 1.10 (a number), expected a word of text: quote it: "1.10" (YAML reads an unquoted 1.10 as the number 1.1)'],
    ['      name: cleanup', '      name: cleanup\n      command: [run, true]', 'spec.yaml:42:22: spec.workloads[3].command[1]: got true (a boolean), expected a word of text: quote it: "true"'],
    ['    - name: cp1', '    - name: 012', 'spec.yaml:8:13: spec.nodes[0].name: got 012 (a number), expected a name of lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit (e.g. cp1): quote it: "012" (YAML reads an unquoted 012 as the number 12)'],
    ['schedule: "0 3 * * *"', 'schedule: "0 3 * *"', 'spec.yaml:42:17: spec.workloads[3].schedule: got "0 3 * *", expected a cron schedule of five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly'],
    ['      name: cleanup', '      name: cleanup\n      replicas: 2', 'spec.yaml:42:7: spec.workloads[3].replicas: unknown key "replicas"; expected one of kind, name, memory, memoryRequest, schedule, image, env, secretEnv, command, database'],
    ['      name: cleanup', '      name: cleanup\n      memoryRequest: 1Gi', 'spec.yaml:42:22: spec.workloads[3].memoryRequest: got "1Gi", expected a memory size from 4Mi up to memory (64Mi), the limit'],
    ['      name: cleanup', '      name: cleanup\n      memoryRequest: lots', 'spec.yaml:42:22: spec.workloads[3].memoryRequest: got "lots", expected a memory size from 4Mi to 64Gi, such as 128Mi or 1Gi'],
    ['      name: cleanup', '      name: cleanup\n      command: []', 'spec.yaml:42:16: spec.workloads[3].command: got an empty list, expected a list of words, such as [sh, -c, "echo done"] (or leave command out)'],
    ['port: 3000', 'port: 3000\n      replicas: -1', 'spec.yaml:39:17: spec.workloads[2].replicas: got -1 (a number), expected a number of replicas from 0 to 50'],
  ])('%s -> %s', (from, to, expected) => {
    expect(problemsOf(specWith(from, to))).toEqual([expected]);
  });

  it('reports unknown top-level keys and aliases instead of ignoring them', () => {
    const path = specWith('kind: Cluster', 'kind: Cluster\nextra: &x 1\nalso: *x');
    expect(problemsOf(path)).toEqual([
      'spec.yaml:3:1: extra: unknown key "extra"; expected one of apiVersion, kind, metadata, spec',
      'spec.yaml:4:1: also: unknown key "also"; expected one of apiVersion, kind, metadata, spec',
    ]);
    const alias = specWith('memory: 128Mi', 'memory: *nothing');
    expect(problemsOf(alias)[0]).toMatch(/^spec\.yaml:\d+:\d+: /);
  });

  it('gives every problem of a bad file at once, in file order', () => {
    const problems = problemsOf(join(fixtures, 'bad-many.yaml'));
    expect(problems).toHaveLength(17);
    const lines = problems.map((p) => Number(/^spec\.yaml:(\d+):/.exec(p)![1]));
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(problems).toContain('spec.yaml:13:40: spec.workloads[2].node: got "w9", expected the name of a node in spec.nodes (cp1)');
    expect(problems).toContain('spec.yaml:8:56: spec.nodes[1].adress: unknown key "adress" (did you mean address?); expected one of name, address, role, schedulable, ssh, acceptUndersized');
    expect(problems).toContain('spec.yaml:12:60: spec.workloads[1].image: got "busybox", expected an image with a tag or digest, such as busybox:1.2 or busybox@sha256:… (without one, each node pulls whatever "latest" is that day)');
  });

  it('reports a clashing workload name and a bad storage size together with the workloads\' other problems', () => {
    // Each used to show up only once everything else was fixed.
    const path = specWith('      storage: 5Gi', '      storage: 5GB');
    const text = readFileSync(path, 'utf8')
      .replace('    - kind: app\n      name: blog', '    - kind: app\n      name: chatbot\n      memory: 1MB')
      .replace('      node: w1\n      storage: 5GB', '      node: w9\n      storage: 5GB');
    writeFileSync(path, text);
    expect(problemsOf(path)).toEqual([
      'spec.yaml:33:13: spec.workloads[1].node: got "w9", expected the name of a node in spec.nodes (cp1, w1)',
      'spec.yaml:34:16: spec.workloads[1].storage: got "5GB", expected a storage size from 1Mi to 16Ti, such as 5Gi',
      'spec.yaml:36:13: spec.workloads[2].name: got "chatbot", expected a name not used by another workload (spec.workloads[0] has it)',
      'spec.yaml:37:15: spec.workloads[2].memory: got "1MB", expected a memory size from 4Mi to 64Gi, such as 128Mi or 1Gi',
    ]);
  });

  it('refuses a spec where a workload has no node to run on', () => {
    // One control plane that takes no workloads, no worker: nothing could ever be scheduled.
    const lone = BASE.replace(/    - name: w1\n      address: 203.0.113.11\n      role: worker\n/, '').replace('    node: w1\n', '    node: cp1\n');
    const path = join(dir, 'lone.yaml');
    writeFileSync(path, lone.replace('      node: w1\n', '      node: cp1\n'));
    expect(problemsOf(path)).toEqual([
      'spec.yaml:21:5: spec.workloads: worker chatbot, app blog, cron cleanup have no node to run on: the only node, cp1, is the control plane with schedulable: false; add a worker, or set schedulable: true on cp1',
      'spec.yaml:30:13: spec.workloads[1].node: got "cp1", expected a node that runs workloads: cp1 is the control plane with schedulable: false; set schedulable: true on cp1, or add a worker for it',
    ]);
    // With schedulable: true the same cluster is fine.
    writeFileSync(path, lone.replace('      node: w1\n', '      node: cp1\n').replace('      role: control-plane\n', '      role: control-plane\n      schedulable: true\n'));
    expect(problemsOf(path)).toEqual([]);
    // A database pinned to the control plane while a worker exists: named, with the worker to use.
    expect(problemsOf(specWith('node: w1\n      storage', 'node: cp1\n      storage'))).toEqual([
      'spec.yaml:33:13: spec.workloads[1].node: got "cp1", expected a node that runs workloads: cp1 is the control plane with schedulable: false; set schedulable: true on cp1, or pin the database to a worker (w1)',
    ]);
  });

  it('refuses a file larger than 256 KiB before reading it, naming its size', () => {
    const path = join(dir, 'huge.yaml');
    const workload = (i: number) => `    - {kind: worker, name: w${i}, image: "busybox:1.36", memory: 16Mi}\n`;
    writeFileSync(path, BASE + Array.from({ length: 5000 }, (_, i) => workload(i)).join(''));
    expect(problemsOf(path)).toEqual(['spec.yaml: (file): got 347 KB, expected a spec of at most 256 KiB (a cluster of a few nodes and workloads takes a few KB; is this the right file?)']);
  });

  it('reports broken YAML with line and column', () => {
    const problems = problemsOf(join(fixtures, 'broken-yaml.yaml'));
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^spec\.yaml:\d+:\d+: \(YAML syntax\): \S/);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    expect(problemsOf(empty)).toEqual(['spec.yaml: (document): got nothing, expected a mapping with apiVersion, kind, metadata, spec']);
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(problemsOf(list)).toEqual(['spec.yaml:1:1: (document): got a list, expected a mapping with apiVersion, kind, metadata, spec']);
  });

  it('shows control characters and long values safely', () => {
    const path = specWith('address: 203.0.113.10', `address: "a\\u001b[31m${'x'.repeat(100)}"`);
    const [problem] = problemsOf(path);
    expect(problem).toContain('got "a\\u001b[31m');
    expect(problem).toContain('…"');
    expect(problem).not.toContain('\u001b');
  });
});

describe("a database's scheduled dumps (backup: {schedule, keep})", () => {
  const db = '      node: w1\n      storage: 5Gi';
  it('takes a schedule and a number to keep, each optional', async () => {
    const { dumpSettings } = await import('../../src/workloads/dump.js');
    const settings = (text: string) => {
      const read = readSpecFile(specWith(db, `${db}\n${text}`));
      expect(read.problems).toEqual([]);
      const w = read.spec!.spec.workloads.find((x) => x.kind === 'database')!;
      return w.kind === 'database' ? [w.backup, dumpSettings(w)] : [];
    };
    expect(settings('      backup: {schedule: "30 1 * * *", keep: 3}')).toEqual([{ schedule: '30 1 * * *', keep: 3 }, { schedule: '30 1 * * *', keep: 3 }]);
    expect(settings('      backup: {keep: 14}')).toEqual([{ keep: 14 }, { schedule: '0 3 * * *', keep: 14 }]);
    expect(settings('      backup: {schedule: "@hourly"}')).toEqual([{ schedule: '@hourly' }, { schedule: '@hourly', keep: 7 }]);
    const none = readSpecFile(specWith('      storage: 5Gi', '      storage: 5Gi')).spec!.spec.workloads.find((x) => x.kind === 'database')!;
    expect(none).not.toHaveProperty('backup');
    expect(none.kind === 'database' && dumpSettings(none)).toEqual({ schedule: '0 3 * * *', keep: 7 });
  });

  it.each([
    ['      backup: {keep: 0}', 'spec.yaml:35:22: spec.workloads[1].backup.keep: got 0 (a number), expected a number of dumps to keep from 1 to 90'],
    ['      backup: {keep: "7"}', 'spec.yaml:35:22: spec.workloads[1].backup.keep: got "7", expected a number of dumps to keep from 1 to 90'],
    ['      backup: {schedule: "0 25 * * *"}', 'spec.yaml:35:26: spec.workloads[1].backup.schedule: got "0 25 * * *", expected the hour (2nd field) as 0-23 (or *, a list a,b, a range a-b, a step */n), not "25", in five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *"'],
    ['      backup: {every: daily}', 'spec.yaml:35:16: spec.workloads[1].backup.every: unknown key "every"; expected one of schedule, keep'],
    ['      backup: daily', 'spec.yaml:35:15: spec.workloads[1].backup: got "daily", expected a mapping with schedule (a cron schedule, UTC) and keep (how many dumps to keep), such as {schedule: "0 3 * * *", keep: 7}'],
  ])('%s is refused with its line, column and what is accepted', (text, message) => {
    expect(problemsOf(specWith(db, `${db}\n${text}`))).toEqual([message]);
  });

  it('a database name leaves room for its dump job (47 characters at most)', () => {
    const long = `m${'y'.repeat(46)}`;
    expect(problemsOf(specWith('      name: mysql', `      name: ${long}`))).toEqual([]);
    expect(problemsOf(specWith('      name: mysql', `      name: ${long}s`))).toEqual([
      `spec.yaml:32:13: spec.workloads[1].name: got "${long}s", expected a name of lower-case letters, digits and "-", 1-47 characters (a database's dump job is named <name>-dump), starting with a letter and ending with a letter or digit (e.g. mysql)`,
    ]);
  });
});

describe('specs built in memory (the wizard) use the same rules and words', () => {
  it('reports the same message without a position', () => {
    const { problems } = validateObject({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'home' },
      spec: { nodes: [{ name: 'cp1', address: '10.0.0.1', role: 'control-plane', schedulable: true }], dns: { upstream: ['8.8.8.8'] }, workloads: [{ kind: 'cron', name: 'x', image: 'busybox:1.36', schedule: 'never' }] },
    });
    expect(problems.map((p) => formatProblem(p))).toEqual([
      'spec.workloads[0].schedule: got "never", expected a cron schedule of five fields "minute hour day-of-month month day-of-week" such as "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly',
    ]);
  });
});

describe('spec.network', () => {
  const withNetwork = (text: string) => specWith('  workloads:\n', `  network:\n${text}  workloads:\n`);

  it('is optional: WireGuard between nodes, the API open to the nodes and this computer', () => {
    expect(readSpecFile(specWith('name: home', 'name: home')).spec!.spec).not.toHaveProperty('network');
  });

  it('takes privateNetwork and apiAllowedFrom (addresses and networks, IPv4 and IPv6; [] is the nodes only)', () => {
    const read = readSpecFile(withNetwork('    privateNetwork: true\n    apiAllowedFrom: [198.51.100.7, 192.0.2.0/24, "2001:db8::/48", 0.0.0.0/0]\n'));
    expect(read.problems).toEqual([]);
    expect(read.spec!.spec.network).toEqual({ privateNetwork: true, apiAllowedFrom: ['198.51.100.7', '192.0.2.0/24', '2001:db8::/48', '0.0.0.0/0'] });
    expect(readSpecFile(withNetwork('    apiAllowedFrom: []\n')).spec!.spec.network).toEqual({ privateNetwork: false, apiAllowedFrom: [] });
  });

  it.each([
    ['    privateNetwork: yes please\n', 'spec.yaml:24:21: spec.network.privateNetwork: got "yes please", expected true or false'],
    ['    apiAllowedFrom: 198.51.100.7\n', 'spec.yaml:24:21: spec.network.apiAllowedFrom: got "198.51.100.7", expected a list of addresses or networks that may reach the Kubernetes API besides the nodes, such as [198.51.100.7, 2001:db8::/48] ([] for the nodes only)'],
    ['    apiAllowedFrom: [198.51.100.7/24]\n', 'spec.yaml:24:22: spec.network.apiAllowedFrom[0]: got "198.51.100.7/24", expected an IPv4 or IPv6 address or network, such as 198.51.100.7, 198.51.100.0/24 or 2001:db8::/48 (0.0.0.0/0 is anywhere); in 198.51.100.7/24 the address has bits set beyond the /24 prefix'],
    ['    apiAllowedFrom: [my-laptop]\n', 'spec.yaml:24:22: spec.network.apiAllowedFrom[0]: got "my-laptop", expected an IPv4 or IPv6 address or network, such as 198.51.100.7, 198.51.100.0/24 or 2001:db8::/48 (0.0.0.0/0 is anywhere)'],
    ['    apiAllowedFrom: [10.0.0.0/33]\n', 'spec.yaml:24:22: spec.network.apiAllowedFrom[0]: got "10.0.0.0/33", expected an IPv4 or IPv6 address or network, such as 198.51.100.7, 198.51.100.0/24 or 2001:db8::/48 (0.0.0.0/0 is anywhere)'],
    ['    apiAllowedFrom: [198.51.100.7, 198.51.100.7]\n', 'spec.yaml:24:36: spec.network.apiAllowedFrom[1]: got "198.51.100.7", expected an address not already listed'],
    ['    apiAllowedFrom:\n', 'spec.yaml:24:20: spec.network.apiAllowedFrom: got nothing, expected a list such as [198.51.100.7], or [] for the nodes only (leave the key out for this computer\'s address)'],
    ['    wireguard: false\n', 'spec.yaml:24:5: spec.network.wireguard: unknown key "wireguard"; expected one of privateNetwork, apiAllowedFrom'],
  ])('refuses %s', (text, problem) => {
    expect(problemsOf(withNetwork(text))).toEqual([problem]);
  });
});

describe('spec.registries (private images: name, server, username; the token is a secret)', () => {
  const REG = '  registries:\n    - name: ghcr\n      server: ghcr.io\n      username: me\n';
  const withRegistries = (text: string) => specWith('  workloads:\n', `${text}  workloads:\n`);

  it('takes a list of entries whose server some workload image is pulled from', () => {
    const read = readSpecFile(withRegistries(REG));
    expect(read.problems).toEqual([]);
    expect(read.spec!.spec.registries).toEqual([{ name: 'ghcr', server: 'ghcr.io', username: 'me' }]);
    // Docker Hub under any of its names serves images written without a registry (busybox:1.36, mysql:8.4).
    expect(problemsOf(withRegistries('  registries:\n    - name: hub\n      server: index.docker.io\n      username: me\n'))).toEqual([]);
    expect(readSpecFile(specWith('name: home', 'name: home')).spec!.spec).not.toHaveProperty('registries');
  });

  it.each([
    ['    - name: ghcr\n', '    - name: GHCR\n', 'spec.yaml:24:13: spec.registries[0].name: got "GHCR", expected a name of lower-case letters, digits and "-", 1-40 characters (e.g. ghcr)'],
    ['      server: ghcr.io\n', '      server: https://ghcr.io\n', 'spec.yaml:25:15: spec.registries[0].server: got "https://ghcr.io", expected a registry host as image references name it, such as ghcr.io or registry.example.com:5000 (no https://, no path)'],
    ['      server: ghcr.io\n', '      server: ghcr.io/me\n', 'spec.yaml:25:15: spec.registries[0].server: got "ghcr.io/me", expected a registry host as image references name it, such as ghcr.io or registry.example.com:5000 (no https://, no path)'],
    ['      username: me\n', '      username: "me:token"\n', 'spec.yaml:26:17: spec.registries[0].username: got "me:token", expected the registry login name (printable characters, no spaces or ":"), such as me'],
    ['      username: me\n', '', 'spec.yaml:24:7: spec.registries[0].username: missing; expected the registry login name (printable characters, no spaces or ":"), such as me'],
    ['      username: me\n', '      username: me\n      token: ghp_x\n', 'spec.yaml:27:7: spec.registries[0].token: unknown key "token"; expected one of name, server, username'],
  ])('refuses %s -> %s', (from, to, expected) => {
    expect(problemsOf(withRegistries(REG.replace(from, to)))).toEqual([expected]);
  });

  it('refuses a list that is not one', () => {
    expect(problemsOf(withRegistries('  registries: ghcr.io\n'))).toEqual([
      'spec.yaml:23:15: spec.registries: got "ghcr.io", expected a list of private registries, each with name, server and username (the token is kept in secrets.yaml)',
    ]);
  });

  it('refuses a name or a server listed twice, naming the entry that has it first', () => {
    const twice = `${REG}    - name: ghcr\n      server: registry.example.com\n      username: me\n`;
    expect(problemsOf(withRegistries(twice))).toEqual([
      'spec.yaml:27:13: spec.registries[1].name: got "ghcr", expected a name not used by another registry (spec.registries[0] has it)',
    ]);
    // The same host in another case, and Docker Hub under two of its names: one registry each.
    expect(problemsOf(withRegistries(`${REG}    - name: ghcr2\n      server: GHCR.io\n      username: other\n`))).toEqual([
      'spec.yaml:28:15: spec.registries[1].server: got "GHCR.io", expected a registry not already listed (spec.registries[0] is ghcr.io)',
    ]);
    expect(problemsOf(withRegistries('  registries:\n    - name: hub\n      server: docker.io\n      username: me\n    - name: hub2\n      server: registry-1.docker.io\n      username: me\n'))).toEqual([
      'spec.yaml:28:15: spec.registries[1].server: got "registry-1.docker.io", expected a registry not already listed (spec.registries[0] is docker.io)',
    ]);
  });

  it('refuses an entry no workload image uses, naming the images per registry', () => {
    expect(problemsOf(withRegistries(REG.replace('server: ghcr.io', 'server: ghcr.example.com')))).toEqual([
      'spec.yaml:25:15: spec.registries[0].server: got "ghcr.example.com", expected the registry of a workload\'s image (ghcr.io: chatbot, blog; docker.io: mysql, cleanup); remove the entry if no image needs it',
    ]);
  });
});

describe('database: NAME on an app, worker or cron (a database and user of its own, DATABASE_* injected)', () => {
  const link = (name: string, text: string) => specWith(`      name: ${name}\n`, `      name: ${name}\n${text}`);

  it('links app, worker and cron workloads to a database workload of the spec', () => {
    const path = link('blog', '      database: mysql\n');
    writeFileSync(path, readFileSync(path, 'utf8').replace('      name: chatbot\n', '      name: chatbot\n      database: mysql\n').replace('      name: cleanup\n', '      name: cleanup\n      database: mysql\n'));
    const read = readSpecFile(path);
    expect(read.problems).toEqual([]);
    expect(read.spec!.spec.workloads.map((w) => (w.kind === 'database' ? undefined : w.database))).toEqual(['mysql', undefined, 'mysql', 'mysql']);
  });

  it('refuses an unknown database, naming the database workloads there are', () => {
    expect(problemsOf(link('blog', '      database: postgres\n'))).toEqual([
      'spec.yaml:37:17: spec.workloads[2].database: got "postgres", expected the name of a database workload in spec.workloads (mysql)',
    ]);
    // Linking to a workload that is not a database is the same mistake.
    expect(problemsOf(link('blog', '      database: chatbot\n'))).toEqual([
      'spec.yaml:37:17: spec.workloads[2].database: got "chatbot", expected the name of a database workload in spec.workloads (mysql)',
    ]);
    const none = link('blog', '      database: mysql\n');
    writeFileSync(none, readFileSync(none, 'utf8').replace('    - kind: database\n      name: mysql\n      node: w1\n      storage: 5Gi\n', ''));
    expect(problemsOf(none)).toEqual([
      'spec.yaml:33:17: spec.workloads[1].database: got "mysql", expected the name of a database workload in spec.workloads (there is none: add one with kind: database)',
    ]);
  });

  it('refuses a database link on a database itself (an unknown key there)', () => {
    expect(problemsOf(link('mysql', '      database: mysql\n'))).toEqual([
      'spec.yaml:33:7: spec.workloads[1].database: unknown key "database"; expected one of kind, name, memory, memoryRequest, node, storage, image, mysqlCompatible, backup',
    ]);
  });

  it.each([
    ['env', 'DATABASE_URL', 'spec.yaml:30:9: spec.workloads[0].env.DATABASE_URL: got "DATABASE_URL", expected a name that database: mysql does not set (it injects DATABASE_URL, DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD)'],
    ['env', 'DATABASE_HOST', 'spec.yaml:30:9: spec.workloads[0].env.DATABASE_HOST: got "DATABASE_HOST", expected a name that database: mysql does not set (it injects DATABASE_URL, DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD)'],
    ['secretEnv', 'DATABASE_PASSWORD', 'spec.yaml:31:19: spec.workloads[0].secretEnv[0]: got "DATABASE_PASSWORD", expected a name that database: mysql does not set (it injects DATABASE_URL, DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD; the password is generated)'],
  ])('refuses %s %s on a linked workload (hobbykube injects it)', (where, name, expected) => {
    const path = link('chatbot', '      database: mysql\n');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, where === 'env' ? text.replace('SLACK_CHANNEL: general', `${name}: x`) : text.replace('secretEnv: [SLACK_TOKEN]', `secretEnv: [${name}]`));
    expect(problemsOf(path)).toEqual([expected]);
    // Without the link the same name is the owner's own variable.
    writeFileSync(path, readFileSync(path, 'utf8').replace('      database: mysql\n', ''));
    expect(problemsOf(path)).toEqual([]);
  });

  it.each([
    ['sys', 'sys'],
    ['root', 'root'],
    ['information-schema', 'information_schema'],
    ['performance-schema', 'performance_schema'],
  ])('refuses a linked workload named %s (its database or user would be MySQL\'s own %s)', (name) => {
    const path = link('blog', '      database: mysql\n');
    writeFileSync(path, readFileSync(path, 'utf8').replace('      name: blog\n', `      name: ${name}\n`));
    expect(problemsOf(path)).toEqual([
      `spec.yaml:36:13: spec.workloads[2].name: got "${name}", expected a workload name that is not one of MySQL's own schemas or accounts (mysql, sys, information_schema, performance_schema, root): its database and user take its name; rename the workload or drop its database link`,
    ]);
    // The name is fine for a workload with no database link.
    writeFileSync(path, readFileSync(path, 'utf8').replace('      database: mysql\n', ''));
    expect(problemsOf(path)).toEqual([]);
  });
});
