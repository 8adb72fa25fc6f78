// Shared shape and scaffolding of every install script hobbykube renders.
//
// A step is a pair of bash scripts run as root on one node: the PROBE answers "already done?"
// (exit 0 = done, skip; exit 1 = must run) without changing anything, and the ACTION does the
// work and is safe to run twice. Files a step needs (kubeadm configs, kubelet patches) are listed
// beside the scripts: the runner copies them (Host.copyFile, which creates the directory and
// writes atomically with the given mode) before it runs the action.
//
// Every value that reaches script text goes through src/shell/quote.ts (`sh` quotes each
// `${...}`; `shd` below is the same after removing the template's indentation); the literal
// parts of the templates are hobbykube's own text.
import { isIPv4 } from 'node:net';
import { sh } from '../../shell/quote.js';
import { nodeName as nodeNameRule } from '../../spec/rules.js';

export interface RemoteFile {
  /** Absolute path on the node. */
  path: string;
  content: string;
  /** Octal file mode, e.g. 0o600 for configs and anything holding a secret. */
  mode: number;
  /** The content holds a secret (a join token): never print, log or write it to `plan --out`. */
  secret: boolean;
  /** What `plan --out` writes instead of a secret file's content (its secrets replaced), when it can show one. */
  redacted?: string;
}

export interface StepScripts {
  /** One line for the plan printout and the progress view. */
  describe: string;
  /** Exits 0 when the step is already done, 1 when it must run; changes nothing. */
  probe: string;
  /** Does the work; idempotent. */
  action: string;
  /** Files to copy to the node before the action runs. */
  files: RemoteFile[];
  /** The action's standard output is a secret (a join command, a kubeconfig): never log it. */
  secretOutput: boolean;
  /** The action only reads (it may run every time; its probe always answers "run"). */
  readOnly: boolean;
}

/** Where hobbykube keeps what it writes on a node (outside /etc/kubernetes, which `kubeadm reset` owns). */
export const NODE_DIR = '/etc/hobbykube';
export const INIT_CONFIG_PATH = `${NODE_DIR}/kubeadm-init.yaml`;
export const JOIN_CONFIG_PATH = `${NODE_DIR}/kubeadm-join.yaml`;
/** kubeadm's patch directory: files named `target[suffix][+patchtype].extension`. */
export const PATCHES_DIR = `${NODE_DIR}/kubeadm-patches`;
export const KUBELET_PATCH_PATH = `${PATCHES_DIR}/kubeletconfiguration+merge.yaml`;
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';

/**
 * Wraps a script body: shebang, strict mode, C locale. PATH gains the sbin directories at the
 * end (Debian's non-login PATH lacks /usr/sbin; sudo's secure_path has them already), so
 * anything earlier on PATH, such as the test hosts' recording doubles, still wins.
 */
export function script(body: string, helpers: readonly string[] = []): string {
  return [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'export LC_ALL=C',
    'export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"',
    'umask 022',
    '',
    ...helpers.map((helper) => dedent(helper).trim() + '\n'),
    dedent(body).trim(),
    '',
  ].join('\n');
}

/** A probe that always answers "run": for read-only steps and for steps that must act every time. */
export function alwaysRunProbe(reason: string): string {
  return script(`# ${reason.replace(/\n/g, ' ')}\nexit 1`);
}

export function step(fields: Partial<StepScripts> & Pick<StepScripts, 'describe' | 'probe' | 'action'>): StepScripts {
  return { files: [], secretOutput: false, readOnly: false, ...fields };
}

/**
 * `sh` for indented templates: the common indentation of the literal lines is removed first, so a
 * multi-line quoted value (a YAML document, a config file) cannot spoil the script's layout.
 */
export function shd(strings: TemplateStringsArray, ...values: ReadonlyArray<unknown>): string {
  const MARK = '\u0000';
  const parts = dedent(strings.join(MARK)).split(MARK);
  return sh(Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray, ...values);
}

/** Removes the common leading indentation of a template literal's lines. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(cut)).join('\n');
}

/** Shell helpers several scripts share; plain text, no values. */
export const SHELL_HELPERS = {
  /** apt-get that waits for the dpkg lock (unattended-upgrades at first boot) and retries downloads. */
  apt: dedent(`
    export DEBIAN_FRONTEND=noninteractive
    apt_get() { apt-get -o DPkg::Lock::Timeout=120 -o Acquire::Retries=3 "$@"; }
    apt_update() {
      local attempt
      for attempt in 1 2 3 4 5; do
        if apt_get update; then return 0; fi
        echo "apt-get update failed (attempt $attempt of 5); retrying in 15 s" >&2
        sleep 15
      done
      apt_get update
    }`),
  /** Whether a Debian package is installed (held packages too). */
  installed: dedent(`
    # shellcheck disable=SC2016 # dpkg-query's own format string, not a shell expansion
    installed() { case "$(dpkg-query -W -f='\${Status}' "$1" 2>/dev/null || true)" in *" ok installed") return 0 ;; *) return 1 ;; esac; }`),
  /** kubectl against the control plane's admin kubeconfig (no request timeout: watches run long). */
  kubectl: `kc() { kubectl --kubeconfig ${ADMIN_CONF} "$@"; }`,
  /** The same for quick reads in probes: a stuck API server must not stall a probe. */
  kubectlQuick: `kq() { kubectl --kubeconfig ${ADMIN_CONF} --request-timeout=20s "$@"; }`,
};

/**
 * Hides secrets in kubeadm's output: bootstrap tokens wherever they appear (init prints a join
 * command and "[bootstrap-token] Using token: ..."), and certificate keys.
 */
export const REDACT_FUNCTION = String.raw`redact() { sed -u -E 's/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/<redacted-token>/g; s/(--certificate-key)([[:space:]]+)[^[:space:]]+/\1\2<redacted>/g'; }`;

/** Refuses a node name the spec's rule refuses (it reaches script text and kubeadm configs). */
export function checkNodeName(name: string): void {
  const problem = nodeNameRule(name);
  if (problem !== undefined) throw new Error(`node name ${JSON.stringify(name)}: expected ${problem}`);
}

export function checkIPv4(ip: string): void {
  if (!isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
}
