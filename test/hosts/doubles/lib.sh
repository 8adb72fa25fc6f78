# shellcheck shell=bash
# Shared by the bash doubles: recording, per-call delay, fault injection, small helpers.
# Paths are the in-namespace ones (see ns-setup.sh).
export LC_ALL=C
HK=/run/hobbykube
HK_STATE=/var/lib/hobbykube-fake # in the private /var overlay
# shellcheck disable=SC2034 # used by the doubles that source this file
HK_K8S_PATCH=1                   # kubeadm/kubelet/kubectl report v1.<minor>.1
# shellcheck disable=SC2034
HK_K8S_NEWEST_MINOR=37           # pkgs.k8s.io publishes v1.31 ... v1.37 (late 2026); newer minors 404
read -r HK_HOST <"$HK/host/name"
# shellcheck disable=SC2034
read -r HK_ADDR <"$HK/host/address"
HK_CMD=${0##*/}
HK_ARGV=("$HK_CMD" "$@")
declare -A HK_FILES=()

# Sets REPLY to the JSON string literal of $1.
hk_json() {
  local s=$1 out='' c i
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ $c == [$'\x01'-$'\x1f'] ]]; then printf -v c '\\u%04x' "'$c"; fi
      out+=$c
    done
    s=$out
  fi
  REPLY="\"$s\""
}

# Reads all of stdin into HK_STDIN (keeps trailing newlines); never when stdin is a terminal.
hk_read_stdin() {
  if [ -t 0 ]; then HK_STDIN=''; return; fi
  HK_STDIN=$(
    cat
    printf x
  )
  HK_STDIN=${HK_STDIN%x}
}

# Remembers a file's content for the recording (e.g. a --config file).
hk_note_file() {
  [ -r "$1" ] && HK_FILES[$1]=$(<"$1")
  return 0
}

hk_record() {
  local line a sep='' t k
  hk_json "$HK_HOST"
  line="{\"host\":$REPLY,\"argv\":["
  for a in "${HK_ARGV[@]}"; do
    hk_json "$a"
    line+="$sep$REPLY"
    sep=,
  done
  line+="]"
  if [ "${HK_STDIN+set}" = set ]; then
    hk_json "$HK_STDIN"
    line+=",\"stdin\":$REPLY"
  fi
  if [ "${#HK_FILES[@]}" -gt 0 ]; then
    line+=",\"files\":{"
    sep=''
    for k in "${!HK_FILES[@]}"; do
      hk_json "$k"
      line+="$sep$REPLY:"
      hk_json "${HK_FILES[$k]}"
      line+=$REPLY
      sep=,
    done
    line+="}"
  fi
  # A call made in a network namespace of its own (not this host's): nothing it does reaches the host.
  local own init
  own=$(readlink /proc/self/ns/net 2>/dev/null) init=$(readlink /proc/1/ns/net 2>/dev/null)
  if [ -n "$own" ] && [ -n "$init" ] && [ "$own" != "$init" ]; then line+=",\"netns\":\"private\""; fi
  t=${EPOCHREALTIME/./}
  line+=",\"uid\":$EUID,\"time\":${t:0:${#t}-3}}"
  {
    flock 9
    printf '%s\n' "$line" >&9
  } 9>>"$HK/host/recordings.jsonl"
}

hk_sleep_ms() {
  local ms=$1
  [ "$ms" -gt 0 ] 2>/dev/null || return 0
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

hk_delay() {
  local f ms
  for f in "$HK/host/control/delay.$HK_CMD" "$HK/host/control/delay"; do
    if [ -r "$f" ]; then
      read -r ms <"$f" || true
      hk_sleep_ms "${ms:-0}"
      return
    fi
  done
}

# Fault files (written by TestHost.injectFault): exit code, argv substring, once|always,
# one stdout line, then stderr text to the end.
hk_fault() {
  local f code match mode out err claimed
  for f in "$HK/host/control/faults/"*."$HK_CMD"; do
    [ -e "$f" ] || continue
    {
      read -r code
      read -r match
      read -r mode
      IFS= read -r out
      IFS= read -rd '' err
    } <"$f" || true
    [[ " ${HK_ARGV[*]:1} " == *"$match"* ]] || continue
    if [ "$mode" != always ]; then
      claimed="$f.used.$$"
      mv "$f" "$claimed" 2>/dev/null || continue # another call took it
    fi
    [ -n "$out" ] && printf '%s\n' "$out"
    [ -n "$err" ] && printf '%s' "$err" >&2
    exit "$code"
  done
}

# Record, then delay, then maybe fail: every double calls this before acting.
hk_begin() {
  hk_record
  hk_delay
  hk_fault
}

hk_is_root() { [ "$EUID" -eq 0 ]; }

hk_die() {
  local code=$1
  shift
  printf '%s\n' "$@" >&2
  exit "$code"
}

# Installed package version ('' when not installed), from the fake package state.
hk_pkg_version() {
  local v=''
  [ -r "$HK_STATE/pkg/$1" ] && read -r v <"$HK_STATE/pkg/$1"
  printf '%s' "$v"
}

# v1.37.1 style version of an installed Kubernetes package, or exit 127 like a missing binary.
hk_k8s_version() {
  local v
  v=$(hk_pkg_version "$1")
  [ -n "$v" ] || hk_die 127 "bash: $HK_CMD: command not found"
  printf 'v%s' "${v%%-*}"
}

hk_unit_name() {
  local u=${1%.service}
  printf '%s' "$u"
}
