#!/bin/bash
# Runs as root inside `unshare --mount --uts --pid --mount-proc --propagation private --fork`
# and builds one fake VPS: private writable views, fake facts, the doubles at the real
# commands' paths. Then it stays alive as the namespaces' holder and PID 1 (sshd and rootExec
# enter with nsenter); when it dies the kernel kills everything in the PID namespace.
# Inputs (env): HK_NAME HK_ADDR HK_HOSTDIR HK_BEDDIR HK_DOUBLES HK_YAML HK_NODE
#               HK_RESOLVED_STUB (0/1) HK_CGROUP (v1/v2) HK_HELM (preinstalled helm version or empty)
#               HK_TRAEFIK_CHART (Traefik chart version already in the chart cache, or empty)
set -euo pipefail

hostname "$HK_NAME"

# Writable overlays (upper layers on a tmpfs that exists only in this namespace): everything
# a script writes under these trees stays private to this host and vanishes with it.
priv=$HK_HOSTDIR/priv
mount -t tmpfs -o mode=0755 hk-priv "$priv"
for d in etc var usr opt home root srv; do
  [ -d "/$d" ] || continue
  mkdir -p "$priv/$d/u" "$priv/$d/w"
  mount -t overlay "hk-$d" -o "lowerdir=/$d,upperdir=$priv/$d/u,workdir=$priv/$d/w" "/$d"
done

# Pod-visible disks: the directories pods reach through hostPath volumes (databases, their
# dumps) live in the bed's shared/disks/<host>/, bind-mounted at their real paths here, so the
# doubles that run a pod of this node (pod-runtime.cjs, from kubectl on the control plane) write
# where this host, and SSH, see it. Nothing else of the host is shared.
for d in /var/lib/hobbykube/volumes /var/lib/hobbykube/backups; do
  mkdir -p "$HK_BEDDIR/shared/disks/$HK_NAME$d" "$d"
  mount --bind "$HK_BEDDIR/shared/disks/$HK_NAME$d" "$d"
done

# Private /run (sshd privsep dir, systemd-resolved files, sudo timestamps) and /tmp.
mount -t tmpfs -o mode=0755 hk-run /run
mkdir -p /run/sshd /run/lock /run/systemd/resolve /run/hobbykube/host /run/hobbykube/shared \
  /run/hobbykube/doubles /run/hobbykube/node_modules/yaml /run/hobbykube/state
chmod 1777 /run/lock
chmod 0711 /run/sshd
mount --bind "$HK_HOSTDIR" /run/hobbykube/host
mount --bind "$HK_BEDDIR/shared" /run/hobbykube/shared
mount --bind "$HK_DOUBLES" /run/hobbykube/doubles
mount --bind "$HK_YAML" /run/hobbykube/node_modules/yaml
# The tmpfs under every overlay, reachable once /tmp is replaced below: a test makes the disk
# small (mount -o remount,size=...) to see /var run full.
mkdir -p /run/hobbykube/priv
mount --bind "$priv" /run/hobbykube/priv
ln -s "$HK_NODE" /run/hobbykube/node
mount -t tmpfs -o mode=1777 hk-tmp /tmp

# Kernel-facing files: scripts run as real root, so keep /proc/sys and /sys read-only and
# serve the few facts we fake from files (bind mounts over single proc files work).
fake=/run/hobbykube/host/fake
mount --bind "$fake/meminfo" /proc/meminfo
mount --bind "$fake/swaps" /proc/swaps
mount --bind "$fake/cpuinfo" /proc/cpuinfo
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
mount --bind "$fake/ip_forward" /proc/sys/net/ipv4/ip_forward
mount --bind /sys /sys
# The cgroup layout the profile asks for, whatever this machine uses: a read-only cgroup2
# mount for v2 (Ubuntu 22.04+, Debian 12), an empty tmpfs as the v1 layout's root for v1.
if [ "${HK_CGROUP:-v2}" = v2 ]; then
  mount -t cgroup2 -o ro hk-cgroup2 /sys/fs/cgroup
else
  mount -t tmpfs -o ro,mode=0755 hk-cgroup1 /sys/fs/cgroup
fi
# /sys/module: a private copy of the names of the modules this kernel has loaded, so the
# modprobe double can "load" one (a directory appears) without touching the real kernel.
# Modules the profile says this kernel lacks (missingModules) are left out even if the machine has them.
mods=$(ls /sys/module)
missing=" $(tr '\n' ' ' <"$HK_HOSTDIR/fake/missing-modules" 2>/dev/null || true) "
mount -t tmpfs -o mode=0755 hk-modules /sys/module
for m in $mods; do
  case "$missing" in *" $m "*) continue ;; esac
  if [ "$m" != br_netfilter ] && [ "$m" != overlay ]; then mkdir -p "/sys/module/$m"; fi
done
mount -o remount,bind,ro /sys

# Facts written into the private /etc and /usr.
cp "$fake/os-release" /usr/lib/os-release
ln -sf ../usr/lib/os-release /etc/os-release
printf '%s\n' "$HK_NAME" >/etc/hostname
printf '127.0.0.1 localhost\n%s %s\n::1 localhost ip6-localhost ip6-loopback\n' "$HK_ADDR" "$HK_NAME" >/etc/hosts
cp "$fake/upstream-resolv.conf" /run/systemd/resolve/resolv.conf
rm -f /etc/resolv.conf
if [ "$HK_RESOLVED_STUB" = 1 ]; then
  printf '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n' \
    >/run/systemd/resolve/stub-resolv.conf
  ln -s ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
else
  cp "$fake/upstream-resolv.conf" /etc/resolv.conf
fi

# Doubles at the real commands' paths (sbin tools stay out of a plain user's PATH, as on a
# real Debian host). Binaries that packages bring (kubeadm, kubelet ...) appear on apt-get install.
for c in apt-get apt-mark apt-key curl wget gpg systemctl journalctl; do
  ln -sf /run/hobbykube/doubles/"$c" /usr/bin/"$c"
done
for c in modprobe lsmod sysctl swapoff swapon mkswap iptables ip6tables iptables-save iptables-restore ip6tables-save ip6tables-restore; do
  ln -sf /run/hobbykube/doubles/"$c" /usr/sbin/"$c"
done
# A swapfile is made sparse (the private /var is RAM): fallocate and dd's zero fill are doubles,
# every other dd call goes to the real one, kept as dd.real.
ln -sf /run/hobbykube/doubles/fallocate /usr/bin/fallocate
if [ -x /usr/bin/dd ] && [ ! -L /usr/bin/dd ]; then mv /usr/bin/dd /usr/bin/dd.real; fi
ln -sf /run/hobbykube/doubles/dd /usr/bin/dd
# The clock: date is a double that can run a host's clock ahead or behind (control/clock-offset-ms).
if [ -x /usr/bin/date ] && [ ! -L /usr/bin/date ]; then mv /usr/bin/date /usr/bin/date.real; fi
ln -sf /run/hobbykube/doubles/date /usr/bin/date
# The real ip stays reachable (as ip.real) for the double to pass read-only calls to.
if [ -x /usr/sbin/ip ] && [ ! -L /usr/sbin/ip ]; then mv /usr/sbin/ip /usr/sbin/ip.real; fi
if [ -x /bin/ip ] && [ ! -L /bin/ip ] && [ ! -e /usr/sbin/ip.real ]; then cp /bin/ip /usr/sbin/ip.real; fi
ln -sf /run/hobbykube/doubles/ip /usr/sbin/ip
ln -sf /run/hobbykube/doubles/ip /usr/bin/ip 2>/dev/null || true
# The real nft is kept as nft.real for the nft double, which runs it only in throwaway network
# namespaces. A fresh VPS has no nft until the nftables package is installed (apt-get double).
if [ -x /usr/sbin/nft ] && [ ! -L /usr/sbin/nft ]; then mv /usr/sbin/nft /usr/sbin/nft.real; fi
rm -f /usr/sbin/nft /usr/bin/nft
rm -f /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl /usr/bin/crictl /usr/bin/containerd \
  /usr/bin/helm /usr/local/bin/kubeadm /usr/local/bin/kubelet /usr/local/bin/kubectl \
  /usr/local/bin/helm /usr/local/bin/crictl

# helm, when the profile says it is already installed (at that version).
if [ -n "${HK_HELM:-}" ]; then
  printf '#!/bin/bash\nHK_HELM_VERSION=%q exec /run/hobbykube/doubles/helm "$@"\n' "$HK_HELM" >/usr/local/bin/helm
  chmod 0755 /usr/local/bin/helm
fi
# The Traefik chart archive, when the profile says an earlier install downloaded (and checked) it.
if [ -n "${HK_TRAEFIK_CHART:-}" ]; then
  mkdir -p /var/cache/hobbykube/charts
  /run/hobbykube/doubles/fake-chart traefik "$HK_TRAEFIK_CHART" "/var/cache/hobbykube/charts/traefik-$HK_TRAEFIK_CHART.tgz"
fi

# Initial state of the fake services.
st=/var/lib/hobbykube-fake
mkdir -p "$st/systemd" "$st/modules" "$st/pkg"
touch "$st/systemd/ssh.exists" "$st/systemd/ssh.enabled" "$st/systemd/ssh.active"
if [ "$HK_RESOLVED_STUB" = 1 ]; then
  touch "$st/systemd/systemd-resolved.exists" "$st/systemd/systemd-resolved.enabled" \
    "$st/systemd/systemd-resolved.active"
fi

printf 'ready\n'

# Stay alive as this PID namespace's init until the harness closes our stdin (stop(), or the
# harness process dying for any reason); the kernel then kills and reaps everything inside.
while read -r _; do :; done
exit 0
