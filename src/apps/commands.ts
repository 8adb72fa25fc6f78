// The scripts `logs` and `exec` run on the control plane (pure): kubectl with the admin kubeconfig,
// every value through the quoting helper. Both keep the SSH session's stdin as their lifeline: when
// hobbykube ends it (Ctrl-C, or the local input ends), the command on the node stops too, instead
// of following a log forever on the node (OpenSSH sends no signal to a command without a pty).
import { ADMIN_CONF, script, shd } from '../install/render/script.js';
import { raw } from '../shell/quote.js';
import { NAMESPACE } from '../workloads/labels.js';

export interface LogOptions {
  follow: boolean;
  /** A kubectl duration: 10s, 5m, 2h. */
  since?: string;
  /** Lines from the end; undefined: all. */
  tail?: number;
}

/** kubectl's duration syntax for --since (one or more number+unit pairs). */
export function sinceProblem(text: string): string | undefined {
  return /^(\d+(h|m|s|ms))+$/.test(text) ? undefined : 'a duration such as 30s, 10m or 2h (how far back the log starts)';
}

function kubectlLogs(pod: string, container: string, prefix: boolean, options: LogOptions): string[] {
  const words = [pod, '-n', NAMESPACE, '-c', container, `--prefix=${prefix}`, `--tail=${options.tail ?? -1}`];
  if (options.since !== undefined) words.push(`--since=${options.since}`);
  if (options.follow) words.push('--follow');
  return words;
}

/**
 * One pod: `kubectl logs POD`; several: one `kubectl logs` each at once, lines prefixed with the
 * pod (kubectl's own --prefix), all stopped when the session's stdin ends.
 */
export function logsScript(pods: string[], container: string, options: LogOptions): string {
  // Lines carry their pod's name only when several pods interleave.
  const body = pods.map((pod) => shd`kubectl --kubeconfig ${ADMIN_CONF} logs ${kubectlLogs(pod, container, pods.length > 1, options)} </dev/null &\npids="$pids $!"`).join('\n');
  return script(shd`
    # The session's stdin is the lifeline: when hobbykube closes it, every kubectl here stops.
    exec 3<&0
    pids=""
    ${raw(body)}
    # shellcheck disable=SC2086 # $pids is a list of process ids
    { cat <&3 >/dev/null 2>&1; kill $pids 2>/dev/null; } &
    watcher=$!
    exec 3<&-
    status=0
    for pid in $pids; do
      wait "$pid" || status=$?
    done
    kill "$watcher" 2>/dev/null || true
    exit "$status"
  `);
}

/** `kubectl exec` into one container; its exit status is the script's. */
export function execScript(pod: string, container: string, command: string[], tty: boolean): string {
  return script(shd`exec kubectl --kubeconfig ${ADMIN_CONF} exec -i${raw(tty ? ' -t' : '')} -n ${NAMESPACE} ${pod} -c ${container} -- ${command}`);
}
