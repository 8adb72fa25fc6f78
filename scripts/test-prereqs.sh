#!/usr/bin/env bash
# What `npm test` needs from this machine, checked before the first test runs (npm's `pretest`;
# .ci/run runs `npm test` too, so there is one list). The integration tests start real OpenSSH
# servers in Linux namespaces (test/hosts/README.md), so they need root and a few Debian/Ubuntu
# packages. As root on Debian/Ubuntu the missing packages are installed with apt-get; anywhere
# else the script stops at once, naming the packages and the command that installs them.
#
# Exit codes: 0 ready, 1 something is missing (the message says what and how to get it).
set -euo pipefail

# The Debian/Ubuntu packages the suite needs. Add a package here, with what it is for.
PACKAGES=(
  openssh-server # /usr/sbin/sshd: every test host is a real OpenSSH server
  openssh-client # ssh, ssh-keygen, ssh-keyscan: keys, known_hosts, logins
  sudo           # test users with and without sudo rights; visudo checks their sudoers file
  passwd         # useradd, chpasswd: the test users
  util-linux     # unshare, nsenter, taskset, flock: the hosts' namespaces, CPU sets, locks
  mount          # mount: overlayfs and tmpfs views inside each host
  iproute2       # ip: read-only calls the ip double passes through; the firewall tests' own network namespaces
  nftables       # nft: every generated ruleset is checked (nft --check) and loaded in test namespaces
  gpg            # gpg: the signing-key fingerprint check runs against a real key made by the test
  procps         # ps: the memory monitor's top-process list, run on the test hosts
  shellcheck     # every generated shell script is linted
  tmux           # the wizard and `status` are driven in a real terminal
)

say() { printf 'test prerequisites: %s\n' "$*" >&2; }

installed() { # package
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = 'install ok installed' ]
}

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    installed "$p" || printf '%s\n' "$p"
  done
}

debian_like() { # ID or ID_LIKE in /etc/os-release names debian or ubuntu
  local ids
  ids=$(sed -n 's/^\(ID\|ID_LIKE\)=//p' /etc/os-release 2>/dev/null | tr -d '"' | tr '\n' ' ')
  case " $ids " in
    *' debian '* | *' ubuntu '*) return 0 ;;
  esac
  return 1
}

if [ "$(uname -s)" != Linux ]; then
  say "the integration tests need Linux (they start sshd in mount and PID namespaces); this is $(uname -s)."
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! debian_like; then
  say "the integration tests need a Debian or Ubuntu machine (dpkg and these packages): ${PACKAGES[*]}"
  say "install them there with: sudo apt-get install -y ${PACKAGES[*]}"
  exit 1
fi

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}"
    say "(or run the tests as root, which installs them: sudo npm test)"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get, as root)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get update -qq >&2 || ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
    say "apt-get could not install: ${missing[*]}; install them by hand: apt-get install -y ${missing[*]}"
    exit 1
  fi
  mapfile -t still < <(missing_packages)
  if [ "${#still[@]}" -gt 0 ]; then
    say "still missing after apt-get install: ${still[*]}"
    exit 1
  fi
fi

if [ "$(id -u)" -ne 0 ]; then
  say 'the test hosts need root (namespaces, overlay mounts, test users): run sudo npm test'
  exit 1
fi

for fs in overlay tmpfs; do
  if ! grep -qw "$fs" /proc/filesystems && ! { [ "$fs" = overlay ] && modprobe overlay 2>/dev/null && grep -qw overlay /proc/filesystems; }; then
    say "the kernel offers no $fs filesystem, which the test hosts' private views need"
    exit 1
  fi
done
