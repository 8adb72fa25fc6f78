// Per-node memory, sampled every 2 s over the node's existing SSH connection.
//
// One small read-only command per sample (no sudo, output well under 2 KB):
//   - five lines of /proc/meminfo (MemTotal, MemAvailable, MemFree, SwapTotal, SwapFree);
//   - the biggest memory users, grouped by process name: `ps -eo rss=,comm=` summed per name
//     (a node runs one containerd-shim per pod: the group says "containerd-shim x7"), sorted, the
//     top 8. Without procps, /proc/[0-9]*/status (Name + VmRSS) is read with bash builtins.
//
// Memory is judged by MemAvailable, never MemFree: page cache is reclaimable, and "used = total -
// free" makes every healthy node look full. `used` below is total - available.
//
// Colour levels (memoryLevel), against the node's kubelet hard eviction threshold (evictionHard,
// src/node-profile.ts: 100 MiB, 20 MiB on a small worker with swap) plus a margin
// of 5 % of the node (at least 32 MiB; 49 MiB on a 970 MiB node). The margin covers the
// difference between MemAvailable and the kubelet's own `memory.available` (the kubelet counts
// active page cache as used, so it sees less available than /proc/meminfo does) and the 2 s
// between samples:
//   red     available < evictionHard + margin        (~150 MiB on a 1 GB control plane, ~52 MiB on
//                                                     a 512 MB worker with swap): eviction is
//                                                     imminent or running
//   yellow  available < 2 x evictionHard + margin    (~250 MiB on 1 GB, ~72 MiB on a 512 MB
//                                                     worker): one more pod or a surge pod can tip
//                                                     it over (on a swap worker: into heavy swapping)
//   green   otherwise
// The bar's reservation mark is the same allocatable memory the capacity check uses.
import type { Host } from '../ssh/types.js';
import type { NodeRole } from '../spec/types.js';
import { reservations, type Reservations } from '../node-profile.js';

export interface ProcessUsage {
  /** Display name: the process's comm, with kernel-truncated names restored (kube-controller-manager). */
  name: string;
  rssMiB: number;
  /** Processes of this name summed into rssMiB. */
  count: number;
}

export interface MemorySample {
  time: number;
  totalMiB: number;
  availableMiB: number;
  freeMiB: number;
  /** total - available: what the view calls used. */
  usedMiB: number;
  swapTotalMiB: number;
  swapUsedMiB: number;
  /** Biggest users first, at most TOP_PROCESSES entries. */
  top: ProcessUsage[];
}

export type MemoryLevel = 'ok' | 'warn' | 'critical';

export const SAMPLE_INTERVAL_MS = 2000;
export const TOP_PROCESSES = 8;

/** The sample command. Read-only, no sudo; prints ~5 meminfo lines, a marker, and <= 8 "rss count name" lines. */
export const MEMORY_SCRIPT = `export LC_ALL=C
grep -E '^(MemTotal|MemAvailable|MemFree|SwapTotal|SwapFree):' /proc/meminfo
echo '#top'
{
  if command -v ps >/dev/null 2>&1; then
    ps -eo rss=,comm= 2>/dev/null
  else
    for f in /proc/[0-9]*/status; do
      n=''; r=''
      while read -r k v; do
        case $k in Name:) n=$v ;; VmRSS:) r=\${v%% *}; break ;; esac
      done 2>/dev/null < "$f"
      [ -n "$r" ] && printf '%s %s\\n' "$r" "$n"
    done
  fi
} | awk '$1 > 0 { r = $1; $1 = ""; n = substr($0, 2); s[n] += r; c[n]++ } END { for (n in s) print s[n], c[n], n }' | sort -rn | head -n ${TOP_PROCESSES}
`;

// comm is cut to 15 characters by the kernel; restore the names this product cares about.
const TRUNCATED: Record<string, string> = {
  'kube-controller': 'kube-controller-manager',
  'containerd-shim': 'containerd-shim',
  'cloud-controlle': 'cloud-controller-manager',
  'unattended-upgr': 'unattended-upgrades',
  'systemd-resolve': 'systemd-resolved',
  'systemd-network': 'systemd-networkd',
  'systemd-journal': 'systemd-journald',
  'systemd-timesyn': 'systemd-timesyncd',
  'networkd-dispat': 'networkd-dispatcher',
  'local-path-prov': 'local-path-provisioner',
  'metrics-server': 'metrics-server',
};

export function processLabel(comm: string): string {
  const name = comm.trim();
  return TRUNCATED[name] ?? name;
}

const kibToMiB = (kib: number) => Math.round(kib / 1024);

/**
 * Parses the sample command's output. Throws when MemTotal is missing (not a Linux /proc, or the
 * command failed); tolerates a missing process list and kernels without MemAvailable (< 3.14,
 * where free + buffers + cached stands in... not printed here, so MemFree is used).
 */
export function parseMemorySample(text: string, time: number = Date.now()): MemorySample {
  const [memPart = '', topPart = ''] = text.split(/^#top$/m);
  const kib: Record<string, number> = {};
  for (const line of memPart.split('\n')) {
    const m = /^(\w+):\s+(\d+)\s*kB/.exec(line.trim());
    if (m) kib[m[1]!] = Number(m[2]);
  }
  if (kib.MemTotal === undefined) throw new Error(`no MemTotal in the memory sample: ${JSON.stringify(text.slice(0, 120))}`);
  const totalMiB = kibToMiB(kib.MemTotal);
  const freeMiB = kibToMiB(kib.MemFree ?? 0);
  const availableMiB = Math.min(totalMiB, kibToMiB(kib.MemAvailable ?? kib.MemFree ?? 0));
  const swapTotalMiB = kibToMiB(kib.SwapTotal ?? 0);
  const swapUsedMiB = Math.max(0, swapTotalMiB - kibToMiB(kib.SwapFree ?? kib.SwapTotal ?? 0));

  const groups = new Map<string, ProcessUsage>();
  for (const line of topPart.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const name = processLabel(m[3]!);
    const g = groups.get(name) ?? { name, rssMiB: 0, count: 0 };
    g.rssMiB += Number(m[1]) / 1024;
    g.count += Number(m[2]);
    groups.set(name, g);
  }
  const top = [...groups.values()]
    .map((g) => ({ ...g, rssMiB: Math.round(g.rssMiB) }))
    .sort((a, b) => b.rssMiB - a.rssMiB || a.name.localeCompare(b.name))
    .slice(0, TOP_PROCESSES);
  return { time, totalMiB, availableMiB, freeMiB, usedMiB: totalMiB - availableMiB, swapTotalMiB, swapUsedMiB, top };
}

export interface MemoryThresholds {
  /** Below this much available: red. */
  criticalMiB: number;
  /** Below this much available: yellow. */
  warnMiB: number;
  reservations: Reservations;
  /** What the scheduler may hand to pods (the bar's reservation mark). */
  allocatableMiB: number;
}

export function memoryThresholds(totalMiB: number, role: NodeRole = 'worker'): MemoryThresholds {
  const r = reservations(Math.max(1, totalMiB), role);
  const margin = Math.max(32, Math.round(totalMiB * 0.05));
  return {
    criticalMiB: r.evictionHardMiB + margin,
    warnMiB: 2 * r.evictionHardMiB + margin,
    reservations: r,
    allocatableMiB: Math.max(0, Math.floor(totalMiB) - r.systemReservedMiB - r.kubeReservedMiB - r.evictionHardMiB),
  };
}

export function memoryLevel(sample: Pick<MemorySample, 'totalMiB' | 'availableMiB'>, role: NodeRole = 'worker'): MemoryLevel {
  const t = memoryThresholds(sample.totalMiB, role);
  if (sample.availableMiB < t.criticalMiB) return 'critical';
  if (sample.availableMiB < t.warnMiB) return 'warn';
  return 'ok';
}

// ---------------------------------------------------------------- the sampler loop

export interface MemorySink {
  sample(node: string, sample: MemorySample): void;
  error(node: string, message: string): void;
}

export interface SamplerOptions {
  intervalMs?: number;
  /** One sample may take this long before it counts as failed (default: the interval x 2.5). */
  timeoutMs?: number;
  now?: () => number;
}

export interface Sampler {
  /** Resolves once the loop has stopped and no sample is in flight. */
  stop(): Promise<void>;
  /** Takes one sample now (also used by `status --once`). */
  sampleNow(): Promise<MemorySample | undefined>;
}

/** One sample from a host; throws on a failed command or unparsable output. */
export async function sampleMemory(host: Host, options: { timeoutMs?: number; now?: () => number } = {}): Promise<MemorySample> {
  const result = await host.run(MEMORY_SCRIPT, { timeoutMs: options.timeoutMs ?? 5000 });
  if (result.code !== 0 && !result.stdout.includes('MemTotal:')) {
    throw new Error(`memory sample failed (exit code ${result.code}): ${(result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  return parseMemorySample(result.stdout, (options.now ?? Date.now)());
}

/**
 * Samples one node every interval until stopped. Samples never overlap: the next one is
 * scheduled when the previous one has finished, `intervalMs` after it started (a slow node is
 * sampled less often, never piled up). Failures go to the sink and the loop carries on.
 */
export function startMemorySampler(host: Host, sink: MemorySink, options: SamplerOptions = {}): Sampler {
  const intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? Math.round(intervalMs * 2.5);
  const now = options.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<MemorySample | undefined> | undefined;

  const once = (): Promise<MemorySample | undefined> => {
    if (inFlight) return inFlight;
    inFlight = sampleMemory(host, { timeoutMs, now })
      .then(
        (sample) => {
          if (!stopped) sink.sample(host.node, sample);
          return sample;
        },
        (error: unknown) => {
          if (!stopped) sink.error(host.node, error instanceof Error ? error.message : String(error));
          return undefined;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const loop = () => {
    if (stopped) return;
    const started = now();
    void once().then(() => {
      if (stopped) return;
      timer = setTimeout(loop, Math.max(0, intervalMs - (now() - started)));
    });
  };
  loop();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
    sampleNow: once,
  };
}
