// Builds the command lines the transport sends over SSH. Pure functions: every value goes through
// the quoting helper, and no secret is ever part of a command line (the sudo password travels on
// stdin only).
import { sh } from '../shell/quote.js';

/** How a command gets root. */
export type SudoMode =
  /** Logged in as root, or the command does not need root. */
  | { kind: 'none' }
  /** `sudo -n`: the user may sudo without a password. */
  | { kind: 'nopasswd' }
  /** `sudo -k -S -p ''`: the password is the first line of stdin. */
  | { kind: 'password' };

export interface CommandParts {
  script: string;
  sudo: SudoMode;
  /** Remote-side limit: the command runs under coreutils `timeout`, killed (KILL 5 s later) when it overruns. */
  timeoutMs?: number;
}

/** Grace between `timeout`'s TERM and KILL on the remote side. */
export const REMOTE_KILL_AFTER_S = 5;

/** The full command line: `[sudo ...] [timeout ...] bash -c <script>`. Fixed flags are
 * hobbykube's own text; the script and the duration go through the quoting helper. */
export function buildCommand(parts: CommandParts): string {
  let prefix = '';
  if (parts.sudo.kind === 'nopasswd') prefix += 'sudo -n -- ';
  // -k ignores cached credentials, so sudo always reads (and consumes) the password line; the
  // script's own stdin starts right after it.
  if (parts.sudo.kind === 'password') prefix += "sudo -k -S -p '' -- ";
  if (parts.timeoutMs !== undefined) {
    prefix += sh`timeout -k ${REMOTE_KILL_AFTER_S} ${formatSeconds(parts.timeoutMs)} `;
  }
  return prefix + sh`bash -c ${parts.script}`;
}

/** Seconds for coreutils `timeout` (which takes fractions), at least 1 ms. */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(ms, 1) / 1000;
  return `${Number(seconds.toFixed(3))}`;
}

/**
 * Probes how this user gets root, printing one `HK_SUDO=<verdict>` line: nopasswd, password,
 * denied (may not run sudo at all), tty (sudoers requires a tty), missing (no sudo binary), or
 * unknown (followed by sudo's own words).
 */
export const SUDO_PROBE_SCRIPT = [
  'command -v sudo >/dev/null 2>&1 || { echo HK_SUDO=missing; exit 0; }',
  'if sudo -n true >/dev/null 2>&1; then echo HK_SUDO=nopasswd; exit 0; fi',
  'out=$(LC_ALL=C sudo -n -l 2>&1)',
  'case $out in',
  '  *"may not run sudo"*|*"not in the sudoers"*|*"not allowed"*) echo HK_SUDO=denied ;;',
  '  *"must have a tty"*) echo HK_SUDO=tty ;;',
  '  *"password is required"*) echo HK_SUDO=password ;;',
  '  *) echo HK_SUDO=unknown; printf \'%s\\n\' "$out" ;;',
  'esac',
].join('\n');

export type SudoVerdict = 'nopasswd' | 'password' | 'denied' | 'tty' | 'missing' | 'unknown';

export function parseSudoProbe(stdout: string): SudoVerdict {
  const match = /^HK_SUDO=(nopasswd|password|denied|tty|missing|unknown)$/m.exec(stdout);
  return (match?.[1] as SudoVerdict | undefined) ?? 'unknown';
}

/** Checks a sudo password: run with it on stdin; LC_ALL=C keeps sudo's messages matchable. */
export const SUDO_CHECK_COMMAND = "LC_ALL=C sudo -k -S -p '' -- true";

export type SudoCheck = 'ok' | 'wrong-password' | 'denied' | 'other';

export function classifySudoCheck(code: number | null, stderr: string): SudoCheck {
  if (code === 0) return 'ok';
  if (/not in the sudoers|may not run sudo|not allowed to execute/i.test(stderr)) return 'denied';
  if (/incorrect password|Sorry, try again|no password was provided|Authentication failure/i.test(stderr)) {
    return 'wrong-password';
  }
  return 'other';
}

/** What to tell a user who cannot become root. */
export function sudoAdvice(user: string): string {
  return (
    `add "${user} ALL=(ALL) NOPASSWD:ALL" to /etc/sudoers.d/hobbykube on the node ` +
    `(or add ${user} to the sudo group), or log in as root`
  );
}

export interface CopyScriptOptions {
  mode: number;
  owner?: string;
}

/**
 * Writes stdin to `path` atomically: a temporary file next to it gets the content, mode and
 * owner first, then is renamed over the destination. The parent directory is created if missing.
 */
export function buildCopyScript(path: string, options: CopyScriptOptions): string {
  const mode = options.mode.toString(8).padStart(4, '0');
  const chown = options.owner !== undefined ? sh`chown ${options.owner} "$tmp"` : 'true';
  return [
    'set -eu',
    'umask 077',
    sh`dest=${path}`,
    'dir=$(dirname -- "$dest")',
    'mkdir -p -- "$dir"',
    'tmp=$(mktemp "$dir/.hobbykube.XXXXXXXX")',
    `trap 'rm -f -- "$tmp"' EXIT`,
    'cat > "$tmp"',
    sh`chmod ${mode} "$tmp"`,
    chown,
    'mv -f -- "$tmp" "$dest"',
    'trap - EXIT',
  ].join('\n');
}


/** Writes a file's bytes to standard output (for Host.download): nothing else is printed there. */
export function buildReadScript(path: string): string {
  return sh`exec cat -- ${path}`;
}
