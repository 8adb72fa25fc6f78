// The one script that reads a node's facts. It runs as root (through sudo, whose secure_path has
// /usr/sbin on Debian too) in a single SSH command and prints `key=value` lines that
// src/facts/parse.ts turns into NodeFacts. It never changes anything on the node.
//
// Output contract (parse.ts relies on it):
//   - the first line is `hobbykube-facts=1`, the last is `end=1` (a missing end marks a cut-off run);
//   - one fact per line, `key=value`, the value runs to the end of the line and may contain `=`;
//   - a repeated key (`nameserver`, `upstream`, `listen`) means a list, in order;
//   - a fact the node cannot tell is simply absent; the parser makes it `undefined` ("unknown").
//
// Deliberately `set -uo pipefail` without `-e`: this is a probe, and a failing probe (a missing
// tool, an unreadable file) must cost only its own fact, never the rest of the report. `-u` still
// catches typos in the script itself, and every command's own failure is tolerated explicitly.
// Written as a plain template literal: bash's own `${...}` is escaped as `\${...}` and its
// backslashes doubled; the only interpolations are the two constants below.
// No value from the spec or the user enters this text, so there is nothing to quote here.

export const GATHER_SCRIPT_VERSION = 3;

/**
 * Debian packages that decide how containerd gets installed: the distribution's containerd and
 * runc (replaced), Docker's containerd.io (upgraded in place), and Docker Engine packages (refused).
 */
export const WATCHED_PACKAGES = ['containerd', 'containerd.io', 'runc', 'docker-ce', 'docker.io', 'docker-engine', 'moby-engine'] as const;

/** Ports whose listeners kubeadm's preflight refuses: apiserver, etcd client/peer, kubelet, controller-manager, scheduler. */
export const WATCHED_PORTS = [6443, 2379, 2380, 10250, 10257, 10259] as const;

export const GATHER_SCRIPT = `set -uo pipefail
export LC_ALL=C
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

have() { command -v "$1" >/dev/null 2>&1; }
# Prints the first line of a command's output with no trailing carriage return, or nothing.
first_line() { "$@" 2>/dev/null | head -n 1 | tr -d '\\r' || true; }
# Runs a version command with a time limit so a wedged binary cannot stall the whole probe.
version_of() {
  if have timeout; then first_line timeout 10 "$@"; else first_line "$@"; fi
}

echo "hobbykube-facts=${GATHER_SCRIPT_VERSION}"
# The clock is read first and last: the midpoint of the two, set against the midpoint of the
# round trip seen from this side, cancels the time the probe itself took.
echo "clock_start=$(date +%s.%N 2>/dev/null || true)"
echo "uid=$(id -u 2>/dev/null || echo unknown)"
echo "hostname=$(tr -d '\\n' </proc/sys/kernel/hostname 2>/dev/null || true)"

# --- operating system -------------------------------------------------------------------------
if [ -r /etc/os-release ]; then
  # "|| [ -n ... ]" keeps a last line that lacks its newline.
  while IFS='=' read -r key value || [ -n "$key" ]; do
    case "$key" in
      ID | VERSION_ID | VERSION_CODENAME | PRETTY_NAME) echo "os.$key=$value" ;;
    esac
  done </etc/os-release
fi
echo "kernel=$(uname -r 2>/dev/null || true)"
echo "arch=$(uname -m 2>/dev/null || true)"

# --- CPU and memory ---------------------------------------------------------------------------
if have nproc; then
  echo "cpus=$(nproc 2>/dev/null || true)"
elif have getconf; then
  echo "cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || true)"
fi
if [ -r /proc/meminfo ]; then
  # Values are KiB (the kernel writes "kB").
  while read -r key value _; do
    case "$key" in
      MemTotal: | MemFree: | MemAvailable: | SwapTotal: | SwapFree:) echo "meminfo.\${key%:}=$value" ;;
    esac
  done </proc/meminfo
fi
if [ -r /proc/swaps ]; then
  # Every line after the header is one active swap area.
  echo "swap_areas=$(tail -n +2 /proc/swaps 2>/dev/null | grep -c . || true)"
fi

# --- cgroups ----------------------------------------------------------------------------------
# cgroup2fs: unified v2 hierarchy; tmpfs: v1 or hybrid.
echo "cgroup_fs=$(stat -fc %T /sys/fs/cgroup 2>/dev/null || true)"

# --- DNS --------------------------------------------------------------------------------------
if [ -r /etc/resolv.conf ]; then
  echo "resolv_conf=present"
  echo "resolv_conf_link=$(readlink /etc/resolv.conf 2>/dev/null || true)"
  while read -r key value _ || [ -n "$key" ]; do
    [ "$key" = nameserver ] && echo "nameserver=$value"
  done </etc/resolv.conf
else
  echo "resolv_conf=missing"
fi
if [ -r /run/systemd/resolve/resolv.conf ]; then
  while read -r key value _ || [ -n "$key" ]; do
    [ "$key" = nameserver ] && echo "upstream=$value"
  done </run/systemd/resolve/resolv.conf
fi

# --- services and Kubernetes software ---------------------------------------------------------
if have systemctl; then
  for unit in systemd-resolved containerd kubelet; do
    echo "active.$unit=$(systemctl is-active "$unit" 2>/dev/null || true)"
  done
fi
for tool in containerd kubeadm kubelet kubectl; do
  if have "$tool"; then echo "path.$tool=$(command -v "$tool")"; fi
done
have containerd && echo "version.containerd=$(version_of containerd --version)"
have dockerd && echo "path.dockerd=$(command -v dockerd)"
if have dpkg-query; then
  # One call for all of them; names that are not installed only cost a message on stderr.
  dpkg-query -W -f='\${Package}|\${Status}|\${Version}\\n' ${WATCHED_PACKAGES.join(' ')} 2>/dev/null | while IFS='|' read -r pkg status version; do
    case "$status" in *" installed") echo "package.$pkg=$version" ;; esac
  done
fi
have kubeadm && echo "version.kubeadm=$(version_of kubeadm version -o short)"
have kubelet && echo "version.kubelet=$(version_of kubelet --version)"
have kubectl && echo "version.kubectl=$(version_of kubectl version --client)"

# --- cluster membership and leftovers ---------------------------------------------------------
for file in /etc/kubernetes/kubelet.conf /etc/kubernetes/admin.conf /etc/kubernetes/manifests/kube-apiserver.yaml; do
  [ -e "$file" ] && echo "exists=$file"
done
for dir in /etc/kubernetes/manifests /var/lib/etcd; do
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then echo "nonempty=$dir"; fi
done

# --- addresses on the node's interfaces --------------------------------------------------------
# Global-scope addresses only (not loopback or link-local). A NAT'd VPS shows only its private
# address here, not the public one the spec names. The default route's interface is what the
# kubelet and flannel pick when told nothing.
if have ip; then
  echo "addresses_from=ip"
  ip -o addr show scope global 2>/dev/null | while read -r _index dev family cidr _; do
    case "$family" in inet | inet6) echo "address=\${dev%%@*} $cidr" ;; esac
  done
  ip -o -4 route show default 2>/dev/null | head -n 1 | {
    read -ra words || true
    for ((i = 0; i + 1 < \${#words[@]}; i++)); do
      if [ "\${words[$i]}" = dev ]; then echo "default_route_dev=\${words[$((i + 1))]}"; break; fi
    done
  }
elif have hostname; then
  echo "addresses_from=hostname"
  for address in $(hostname -I 2>/dev/null || true); do echo "address=? $address"; done
fi

# --- the SSH connection this probe came in on ----------------------------------------------------
# SSH_CONNECTION ("client-address client-port server-address server-port") is in the login
# session's environment; sudo leaves it out of ours, so it is read from the nearest ancestor
# process that has it. The client address is how this node sees the computer running hobbykube.
# Bash builtins only (no process per ancestor).
pid=$$
conn=''
while [ -z "$conn" ] && [ "\${pid:-0}" -gt 1 ] 2>/dev/null; do
  while IFS= read -r -d '' kv; do
    case "$kv" in SSH_CONNECTION=*) conn=\${kv#SSH_CONNECTION=}; break ;; esac
  done 2>/dev/null <"/proc/$pid/environ" || true
  stat=''
  read -r stat 2>/dev/null <"/proc/$pid/stat" || true
  rest="\${stat##*) }"
  read -r _state ppid _ <<<"$rest" || ppid=0
  pid=\${ppid:-0}
done
if [ -n "$conn" ]; then echo "ssh_connection=$conn"; fi

# --- kernel modules the pod network may need ------------------------------------------------------
# flannel's WireGuard backend needs the kernel's wireguard module (in the kernel since 5.6).
# modprobe --dry-run changes nothing and also succeeds for a module built into the kernel.
if have modprobe; then
  if modprobe -n -q wireguard >/dev/null 2>&1 || [ -d /sys/module/wireguard ]; then
    echo "module.wireguard=yes"
  else
    echo "module.wireguard=no"
  fi
fi

# --- disk ---------------------------------------------------------------------------------------
# POSIX df: filesystem, 1024-blocks, used, available, capacity, mount point (KiB).
df -Pk /var 2>/dev/null | tail -n 1 | {
  read -r _fs size _used avail _cap mount && echo "var_disk=$size $avail $mount"
} || true

# --- listening TCP ports kubeadm cares about ----------------------------------------------------
watched=" ${WATCHED_PORTS.join(' ')} "
if have ss && ss -ltnpH >/dev/null 2>&1; then
  echo "ports_from=ss"
  ss -ltnpH 2>/dev/null | while read -r _state _recvq _sendq addr _peer rest; do
    port="\${addr##*:}"
    process=""
    case "$rest" in *'(("'*) process="\${rest#*'(("'}"; process="\${process%%'"'*}" ;; esac
    # sshd's own ports: the host firewall keeps every one of them open.
    [ "$process" = sshd ] && echo "sshd_listen=$port"
    case "$watched" in *" $port "*) ;; *) continue ;; esac
    echo "listen=$port $process"
  done
elif [ -r /proc/net/tcp ]; then
  echo "ports_from=proc"
  for table in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$table" ] || continue
    # Columns: sl local_address rem_address st ...; st 0A is LISTEN; the port is hex after ':'.
    tail -n +2 "$table" | while read -r _sl addr _remote state _; do
      [ "$state" = 0A ] || continue
      port=$((16#\${addr##*:}))
      case "$watched" in *" $port "*) echo "listen=$port" ;; esac
    done
  done
fi

# --- clock again, see clock_start ---------------------------------------------------------------
echo "clock_end=$(date +%s.%N 2>/dev/null || true)"
echo "end=1"
`;
