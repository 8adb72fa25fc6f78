// What doctor reads on each node beyond the facts (src/facts) and the memory sample
// (src/monitor): the kubelet's configuration and the resolv.conf it hands to pods, the last
// journal lines of kubelet and containerd when they are not active, the swap areas and fstab's
// swap lines, the memory of Kubernetes' own processes, and on a control plane the certificates'
// expiry dates. One command, as root, read-only: it only reads files, /proc, `systemctl
// is-active`, `journalctl` and `openssl x509`.
//
// Output contract (parseNodeProbe): the first line `hobbykube-doctor=1`, the last `end=1`;
// `key=value` lines; blocks between `#NAME` and `#end` lines (kubelet config, journal tails,
// /proc/swaps). Written as a plain template literal: no value from the spec enters it.
import { parse as parseYaml } from 'yaml';

/** Processes whose memory doctor reports by name (comm, as the kernel cuts it to 15 characters). */
export const NAMED_PROCESSES = ['kube-apiserver', 'etcd', 'kube-controller', 'kube-scheduler', 'kubelet', 'containerd', 'containerd-shim'] as const;

export const NODE_PROBE_SCRIPT = `set -uo pipefail
export LC_ALL=C
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
echo "hobbykube-doctor=1"

# --- the kubelet's configuration and the resolv.conf it gives pods ------------------------------
config=/var/lib/kubelet/config.yaml
rc=/etc/resolv.conf
if [ -r "$config" ]; then
  echo "#kubelet-config"
  cat "$config"
  echo "#end"
  configured=$(awk '$1 == "resolvConf:" { gsub(/["\\047]/, "", $2); print $2; exit }' "$config" 2>/dev/null || true)
  [ -n "$configured" ] && rc=$configured
fi
echo "kubelet_resolv_conf=$rc"
if [ -r "$rc" ]; then
  while read -r key value _ || [ -n "$key" ]; do
    [ "$key" = nameserver ] && echo "kubelet_nameserver=$value"
  done <"$rc"
else
  echo "kubelet_resolv_conf_missing=1"
fi

# --- kubelet and containerd: their state, and the journal when they are not running -------------
for unit in kubelet containerd; do
  state=$(systemctl is-active "$unit" 2>/dev/null || true)
  echo "unit.$unit=\${state:-unknown}"
  if [ "$state" != active ]; then
    if command -v journalctl >/dev/null 2>&1; then
      echo "#journal $unit"
      journalctl -u "$unit" -n 12 --no-pager 2>&1 | tail -n 12
      echo "#end"
    else
      echo "journal.$unit=no journalctl"
    fi
  fi
done

# --- swap: active areas and the swap lines of /etc/fstab ----------------------------------------
if [ -r /proc/swaps ]; then
  echo "#swaps"
  tail -n +2 /proc/swaps
  echo "#end"
fi
if [ -r /etc/fstab ]; then
  awk '!/^[[:space:]]*#/ && $3 == "swap" { print "fstab_swap=" $1 }' /etc/fstab 2>/dev/null || true
fi

# --- memory of Kubernetes' own processes and of the pods (RSS, KiB) ------------------------------
# Read with bash builtins (no process per pid). A process in a kubepods cgroup belongs to a pod.
pods=0 kubelet=0 containerd=0 shims=0 other=0
declare -A named=()
for dir in /proc/[0-9]*; do
  name='' rss=''
  while read -r key value _; do
    case $key in Name:) name=$value ;; VmRSS:) rss=$value; break ;; esac
  done 2>/dev/null <"$dir/status"
  [ -n "$rss" ] || continue
  cgroup=''
  read -r -d '' cgroup 2>/dev/null <"$dir/cgroup" || true
  case $name in
  kubelet) kubelet=$((kubelet + rss)) ;;
  containerd) containerd=$((containerd + rss)) ;;
  containerd-shim*) shims=$((shims + rss)) ;;
  *)
    case $cgroup in *kubepods*) pods=$((pods + rss)) ;; *) other=$((other + rss)) ;; esac
    ;;
  esac
  case $name in
  kube-apiserver | etcd | kube-controller | kube-scheduler) named[$name]=$(( \${named[$name]:-0} + rss )) ;;
  esac
done
echo "rss.pods=$pods"
echo "rss.kubelet=$kubelet"
echo "rss.containerd=$containerd"
echo "rss.shims=$shims"
echo "rss.other=$other"
for name in "\${!named[@]}"; do echo "rss.process.$name=\${named[$name]}"; done

# --- a control plane's certificates ------------------------------------------------------------
if [ -d /etc/kubernetes/pki ]; then
  if command -v openssl >/dev/null 2>&1; then
    for file in /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt; do
      [ -e "$file" ] || continue
      if end=$(openssl x509 -noout -enddate -in "$file" 2>/dev/null); then
        echo "cert=$file|\${end#notAfter=}"
      else
        echo "cert=$file|unreadable"
      fi
    done
  else
    echo "openssl=missing"
  fi
fi
echo "end=1"
`;

export interface SwapArea {
  file: string;
  type: string;
  sizeMiB: number;
  usedMiB: number;
}

export interface CertificateDate {
  path: string;
  /** undefined: openssl could not read the file. */
  notAfter?: Date;
}

export interface NodeProbe {
  /** The script reached its last line. */
  complete: boolean;
  /** /var/lib/kubelet/config.yaml, parsed; undefined when absent. */
  kubeletConfig?: Record<string, unknown>;
  /** The file could not be parsed as YAML. */
  kubeletConfigError?: string;
  /** The resolv.conf the kubelet gives pods (its resolvConf, else /etc/resolv.conf) and its servers. */
  kubeletResolvConf: { path: string; nameservers: string[]; missing: boolean };
  units: Record<'kubelet' | 'containerd', { state: string; journal: string[] }>;
  swaps: SwapArea[];
  /** First fields of /etc/fstab's active swap lines. */
  fstabSwap: string[];
  /** RSS in MiB: pods (kubepods cgroups), kubelet, containerd, the shims, everything else. */
  rss: { pods: number; kubelet: number; containerd: number; shims: number; other: number };
  /** RSS in MiB of control-plane processes by name (kube-apiserver, etcd, kube-controller-manager, kube-scheduler); absent: not running. */
  processes: Record<string, number>;
  certificates: CertificateDate[];
  opensslMissing: boolean;
}

const kibToMiB = (kib: number) => Math.round(kib / 1024);

export function parseNodeProbe(text: string): NodeProbe {
  const lines = text.split('\n');
  const blocks = new Map<string, string[]>();
  const values: Array<[string, string]> = [];
  let block: string | undefined;
  for (const line of lines) {
    if (block !== undefined) {
      if (line === '#end') block = undefined;
      else blocks.get(block)!.push(line);
      continue;
    }
    const start = /^#(kubelet-config|journal \w+|swaps)$/.exec(line);
    if (start) {
      block = start[1]!;
      blocks.set(block, []);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) values.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  const get = (key: string) => values.find(([k]) => k === key)?.[1];
  const all = (key: string) => values.filter(([k]) => k === key).map(([, v]) => v);
  const kib = (key: string) => kibToMiB(Number(get(key) ?? 0) || 0);

  let kubeletConfig: Record<string, unknown> | undefined;
  let kubeletConfigError: string | undefined;
  const configText = blocks.get('kubelet-config');
  if (configText !== undefined) {
    try {
      const parsed: unknown = parseYaml(configText.join('\n'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) kubeletConfig = parsed as Record<string, unknown>;
      else kubeletConfigError = 'not a YAML mapping';
    } catch (error) {
      kubeletConfigError = (error as Error).message.split('\n')[0];
    }
  }

  const swaps: SwapArea[] = [];
  for (const line of blocks.get('swaps') ?? []) {
    const [file, type, size, used] = line.trim().split(/\s+/);
    if (!file || !size) continue;
    swaps.push({ file, type: type ?? '', sizeMiB: kibToMiB(Number(size) || 0), usedMiB: kibToMiB(Number(used) || 0) });
  }

  const processes: Record<string, number> = {};
  for (const [key, value] of values) {
    const m = /^rss\.process\.(.+)$/.exec(key);
    if (!m) continue;
    const name = m[1] === 'kube-controller' ? 'kube-controller-manager' : m[1]!;
    processes[name] = kibToMiB(Number(value) || 0);
  }

  const certificates: CertificateDate[] = all('cert').map((v) => {
    const bar = v.lastIndexOf('|');
    const path = v.slice(0, bar);
    const when = v.slice(bar + 1);
    const date = when === 'unreadable' ? NaN : Date.parse(when);
    return Number.isFinite(date) ? { path, notAfter: new Date(date) } : { path };
  });

  const unit = (name: 'kubelet' | 'containerd') => ({
    state: get(`unit.${name}`) ?? 'unknown',
    journal: (blocks.get(`journal ${name}`) ?? []).filter((l) => l.trim() !== ''),
  });

  return {
    complete: get('end') === '1',
    ...(kubeletConfig ? { kubeletConfig } : {}),
    ...(kubeletConfigError ? { kubeletConfigError } : {}),
    kubeletResolvConf: {
      path: get('kubelet_resolv_conf') ?? '/etc/resolv.conf',
      nameservers: all('kubelet_nameserver'),
      missing: get('kubelet_resolv_conf_missing') === '1',
    },
    units: { kubelet: unit('kubelet'), containerd: unit('containerd') },
    swaps,
    fstabSwap: all('fstab_swap'),
    rss: { pods: kib('rss.pods'), kubelet: kib('rss.kubelet'), containerd: kib('rss.containerd'), shims: kib('rss.shims'), other: kib('rss.other') },
    processes,
    certificates,
    opensslMissing: get('openssl') === 'missing',
  };
}

/** A value from the kubelet configuration by dotted path (memorySwap.swapBehavior). */
export function kubeletSetting(probe: NodeProbe, path: string): unknown {
  let cur: unknown = probe.kubeletConfig;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function looksLikeProbe(text: string): boolean {
  return text.startsWith('hobbykube-doctor=1');
}
