// The cluster's forms: welcome (name, Kubernetes version), a node, upstream DNS, and domains & TLS.
import * as rules from '../spec/rules.js';
import { DEFAULT_KUBERNETES_VERSION } from '../spec/types.js';
import type { Answers, NodeAnswers } from './answers.js';
import { check, integerText, nodeField, optional, YES_NO, type Choice, type Field, type FormModel } from './form.js';
import { splitList } from './text-fields.js';

// ------------------------------------------------------------------------------------- welcome

export const WELCOME_LINES = [
  'A few questions about your VPSes, DNS, domains and workloads; each node is',
  'checked over SSH as you add it. You see the whole plan before anything runs.',
  'The answers become one file, hobbykube.yaml, that `hobbykube apply` can rerun.',
];

export function welcomeForm(answers: Answers): FormModel {
  return {
    id: 'welcome',
    title: 'Welcome',
    intro: WELCOME_LINES,
    initial: { name: answers.cluster.name, kubernetesVersion: answers.cluster.kubernetesVersion },
    fields: () => [
      {
        key: 'name',
        label: 'Cluster name',
        message: 'Cluster name',
        hint: 'Names the state folder (~/.hobbykube/NAME) and the kubectl context.',
        kind: 'text',
        validate: check(rules.clusterName),
      },
      {
        key: 'kubernetesVersion',
        label: 'Kubernetes',
        message: 'Kubernetes version',
        hint: `A minor version such as ${DEFAULT_KUBERNETES_VERSION} (the newest); packages come from pkgs.k8s.io.`,
        kind: 'text',
        validate: check(rules.kubernetesVersion),
      },
    ],
  };
}

// ------------------------------------------------------------------------------------- nodes

export const ROLE_CHOICES: Choice[] = [
  { value: 'control-plane', name: 'control plane' },
  { value: 'worker', name: 'worker' },
];

export function newNode(answers: Answers): NodeAnswers {
  const hasCp = answers.nodes.some((n) => n.role === 'control-plane');
  const workers = answers.nodes.filter((n) => n.role === 'worker').length;
  let name = hasCp ? `w${workers + 1}` : 'cp1';
  for (let i = workers + 2; answers.nodes.some((n) => n.name === name); i += 1) name = `w${i}`;
  return { name, address: '', user: answers.nodes[0]?.user ?? 'root', port: '22', keyPath: answers.nodes[0]?.keyPath ?? '', role: hasCp ? 'worker' : 'control-plane', schedulable: 'no', acceptUndersized: false };
}

/** The node form; `index` is the node being edited (undefined: a new one). */
export function nodeForm(answers: Answers, index: number | undefined): FormModel {
  const node = index === undefined ? newNode(answers) : answers.nodes[index]!;
  const others = answers.nodes.filter((_, i) => i !== index);
  return {
    id: 'node',
    title: index === undefined ? 'Add a node' : `Edit node ${node.name}`,
    intro: ['hobbykube connects as soon as you press Enter on the last field: it shows the host key to accept, then the node\'s facts.'],
    initial: { name: node.name, address: node.address, user: node.user, port: node.port, keyPath: node.keyPath, role: node.role, schedulable: node.schedulable },
    fields: (values) => {
      const fields: Field[] = [
        {
          key: 'name',
          label: 'Name',
          message: 'Node name',
          hint: 'A short name for this machine, used in the spec, the plan and Kubernetes (cp1, w1 ...).',
          kind: 'text',
          validate: (v) => check(rules.nodeName)(v) ?? (others.some((n) => n.name === v.trim()) ? `expected a name no other node has (${v.trim()} is taken)` : undefined),
        },
        {
          key: 'address',
          label: 'Address',
          message: 'Address (IP or host name)',
          hint: 'The public IP address or host name you reach the VPS at over SSH (also a Host alias of ~/.ssh/config).',
          kind: 'text',
          validate: check(rules.address),
        },
        {
          key: 'user',
          label: 'SSH user',
          message: 'SSH user (empty: ~/.ssh/config, else root)',
          hint: 'Login user; anyone but root needs sudo rights. Empty: ~/.ssh/config\'s User for this host, else root.',
          kind: 'text',
          validate: optional(rules.sshUser),
        },
        {
          key: 'port',
          label: 'SSH port',
          message: 'SSH port',
          hint: 'Usually 22. Empty: ~/.ssh/config\'s Port for this host, else 22.',
          kind: 'text',
          validate: (v) =>
            integerText(rules.port, true)(v) ??
            (others.some((n) => n.address === values.address?.trim() && n.port === v.trim()) ? 'expected an address and port no other node has' : undefined),
        },
        {
          key: 'keyPath',
          label: 'SSH key',
          message: 'SSH private key file (empty: the SSH agent or ~/.ssh/config)',
          hint: 'Path of the private key, such as ~/.ssh/id_ed25519; leave empty to use ssh-agent or ~/.ssh/config.',
          kind: 'text',
          validate: optional(rules.keyPath),
        },
        {
          key: 'role',
          label: 'Role',
          message: 'Role',
          hint: 'Exactly one control plane (1 GB / 2 CPUs at least); every other node is a worker (512 MB is enough).',
          kind: 'choice',
          choices: ROLE_CHOICES,
          validate: (v) =>
            v === 'control-plane' && others.some((n) => n.role === 'control-plane')
              ? `expected worker: ${others.find((n) => n.role === 'control-plane')!.name} is already the control plane (exactly one)`
              : undefined,
        },
      ];
      if (values.role === 'control-plane') {
        fields.push({
          key: 'schedulable',
          label: 'Run workloads',
          message: 'Run workloads on the control plane too?',
          hint: 'No keeps the control plane\'s memory for Kubernetes itself; yes helps when you have no workers.',
          kind: 'choice',
          choices: YES_NO,
          validate: () => undefined,
        });
      }
      return fields;
    },
  };
}

// ------------------------------------------------------------------------------------- dns

export const DNS_WHY = [
  "CoreDNS forwards outside names to these servers. On Ubuntu /etc/resolv.conf names 127.0.0.53, systemd-resolved's local stub, which pods cannot reach: cluster DNS then fails for every outside name, a trap that can cost days. Use the servers the stub forwards to.",
];

export function validateDnsList(v: string): string | undefined {
  const servers = splitList(v);
  if (servers.length === 0) return 'expected 1-3 IP addresses of DNS servers, such as 1.1.1.1, 9.9.9.9';
  if (servers.length > 3) return 'expected at most 3 DNS servers (the most a resolv.conf honours)';
  for (const s of servers) {
    const problem = rules.dnsServer(s);
    if (problem) return `${s}: expected ${problem}`;
  }
  return undefined;
}

export function dnsForm(answers: Answers, prefillFrom?: string[]): FormModel {
  const initial = answers.dns.upstream !== '' ? answers.dns.upstream : dnsDefault(prefillFrom);
  return {
    id: 'dns',
    title: 'DNS',
    intro: [...DNS_WHY, ...(prefillFrom && prefillFrom.length > 0 ? [`Prefilled from the control plane's real upstream resolvers (${prefillFrom.join(', ')}).`] : [])],
    initial: { upstream: initial },
    fields: () => [
      {
        key: 'upstream',
        label: 'DNS servers',
        message: 'Upstream DNS servers (1-3, comma-separated)',
        hint: 'IP addresses, not 127.0.0.53. Your provider\'s resolvers, or public ones such as 1.1.1.1, 9.9.9.9.',
        kind: 'text',
        validate: validateDnsList,
      },
    ],
  };
}

/** The prefill: the control plane's upstream resolvers that are usable (never a loopback stub). */
export function dnsDefault(upstream: readonly string[] | undefined): string {
  const usable = (upstream ?? []).filter((s) => rules.dnsServer(s) === undefined).slice(0, 3);
  return usable.length > 0 ? usable.join(', ') : '1.1.1.1, 9.9.9.9';
}

// ------------------------------------------------------------------------------------- ingress

export const ACME_CHOICES: Choice[] = [
  { value: 'production', name: 'production (trusted certificates)' },
  { value: 'staging', name: 'staging (for testing: untrusted, generous limits)' },
];

export function ingressForm(answers: Answers): FormModel {
  const nodeChoices = answers.nodes.map((n) => ({ value: n.name, name: `${n.name} (${n.address})` }));
  const i = answers.ingress;
  return {
    id: 'ingress',
    title: 'Domains & TLS',
    intro: [
      "A reverse proxy on one node receives web traffic on ports 80 and 443 and gets TLS certificates from Let's Encrypt. Point your domains' A records at that node's address.",
    ],
    initial: { web: i.web, node: i.node || (nodeChoices.find((c) => answers.nodes.find((n) => n.name === c.value)?.role === 'worker') ?? nodeChoices[0])?.value || '', email: i.email, acme: i.acme },
    fields: (values) => {
      const fields: Field[] = [
        {
          key: 'web',
          label: 'Web apps',
          message: 'Will you serve web apps on your own domains?',
          hint: 'Yes sets up the reverse proxy and TLS; no skips this (apps then have no domain).',
          kind: 'choice',
          choices: YES_NO,
          validate: (v) =>
            v === 'no' && answers.workloads.some((w) => w.kind === 'app' && w.domain.trim() !== '')
              ? 'expected yes: an app already has a domain (remove it in Workloads first)'
              : undefined,
        },
      ];
      if (values.web !== 'yes') return fields;
      fields.push(
        nodeField(answers, { label: 'Ingress node', message: 'Which node receives web traffic (ports 80/443)?', hint: 'Your domains\' A records must point at this node\'s address.' }, nodeChoices),
        { key: 'email', label: 'Email', message: 'Email for Let\'s Encrypt', hint: 'Let\'s Encrypt writes here before a certificate expires.', kind: 'text', validate: check(rules.email) },
        { key: 'acme', label: 'Certificates', message: 'Let\'s Encrypt environment', hint: 'Staging first avoids production rate limits while you experiment.', kind: 'choice', choices: ACME_CHOICES, validate: () => undefined },
      );
      return fields;
    },
  };
}
