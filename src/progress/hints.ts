// One-line hints for failures whose cause is recognisable from the step's last output lines or
// its error message. Pure: the progress view, the plain view and the summary all ask here.
//
// Order matters: the first rule that matches wins, and the more specific causes come first
// (an OOM kill can also end in "connection lost"; a dpkg lock message also mentions apt).

export interface HintRule {
  /** A short key for tests and logs. */
  cause: 'apt-lock' | 'image-pull' | 'token' | 'port-in-use' | 'out-of-memory' | 'connection-lost';
  test: RegExp;
  hint: string;
}

export const HINT_RULES: readonly HintRule[] = [
  {
    cause: 'out-of-memory',
    test: /\bOOMKilled\b|out of memory|Out of memory: Kill|oom-kill|Killed process \d+|cannot allocate memory|exit(?:ed)? (?:code|status) 137\b/i,
    hint: 'the node ran out of memory: check the memory bar and top processes; stop something or use a bigger VPS, then run again',
  },
  {
    cause: 'apt-lock',
    test: /Could not get lock \/var\/lib\/(?:dpkg|apt)|Unable to lock the administration directory|dpkg was interrupted|is another process using it\?|waiting for cache lock|Unable to acquire the dpkg frontend lock/i,
    hint: 'another apt/dpkg run holds the package lock (often unattended-upgrades after boot): wait a few minutes and run again',
  },
  {
    cause: 'image-pull',
    test: /ErrImagePull|ImagePullBackOff|failed to pull (?:and unpack )?image|pull access denied|manifest unknown|failed to resolve reference|toomanyrequests|\[ERROR ImagePull\]/i,
    hint: 'a container image could not be pulled: check the node can reach the registry (DNS, firewall) and the image name; Docker Hub also rate-limits',
  },
  {
    cause: 'token',
    test: /token (?:id )?"?[a-z0-9.]*"? ?(?:is )?(?:invalid|expired|not found)|invalid bootstrap token|bootstrap token.*(?:expired|not found|invalid)|could not find a JWS signature|token has expired|Unauthorized.*token|couldn't validate the identity of the API Server/i,
    hint: 'the join token was rejected (expired or invalid): run again, a fresh token is minted at join time',
  },
  {
    cause: 'port-in-use',
    test: /address already in use|\[ERROR Port-\d+\]|Port \d+ is in use|bind: address in use/i,
    hint: 'a port kubeadm needs is taken: another service (or an old cluster: try `hobbykube reset`) is listening on it',
  },
  {
    cause: 'connection-lost',
    test: /connection lost|Connection (?:reset|closed) by|connection-lost|Broken pipe|Keepalive timeout|ECONNRESET|client_loop: send disconnect|Not connected/i,
    hint: 'the SSH connection dropped: the node may have rebooted or run out of memory; check it is up, then run again (finished steps are skipped)',
  },
];

/** The cause of a failure, or undefined when no rule matches. */
export function causeFor(lines: readonly string[], message = ''): HintRule | undefined {
  // The message first (it names the failure), then the output from the end backwards (the last
  // lines are the most telling). Lines are capped so a pathological line costs little.
  const texts = [message, ...[...lines].reverse()].map((l) => (l.length > 2000 ? l.slice(0, 2000) : l));
  for (const rule of HINT_RULES) if (texts.some((t) => rule.test.test(t))) return rule;
  return undefined;
}

/** A one-line hint for a failure, or undefined when the cause is not recognised. */
export function hintFor(lines: readonly string[], message = ''): string | undefined {
  return causeFor(lines, message)?.hint;
}
