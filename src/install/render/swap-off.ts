// Swap off, now and at boot: control planes, and workers over 1 GiB (small workers get
// hobbykube's swapfile instead, swapfile.ts). The fstab entries are commented out, the first
// original kept.
import { script, step, type StepScripts } from './script.js';

const FSTAB_HAS_SWAP = `[ -f /etc/fstab ] && awk '!/^[[:space:]]*#/ && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab`;

export function swapStep(): StepScripts {
  return step({
    describe: 'Turn swap off now and at boot (control planes, and workers over 1 GB, run without swap)',
    probe: script(`
      if [ -n "$(swapon --show --noheadings 2>/dev/null || true)" ]; then exit 1; fi
      if ${FSTAB_HAS_SWAP}; then exit 1; fi
      exit 0`),
    action: script(`
      swapoff -a
      if ${FSTAB_HAS_SWAP}; then
        # Keep the first original; a second run never gets here (no swap line is left).
        [ -e /etc/fstab.hobbykube.bak ] || cp -p /etc/fstab /etc/fstab.hobbykube.bak
        tmp=$(mktemp /etc/fstab.hobbykube.XXXXXX)
        trap 'rm -f "$tmp"' EXIT
        awk '!/^[[:space:]]*#/ && $3 == "swap" { print "# disabled by hobbykube (kubelet needs swap off): " $0; next } { print }' /etc/fstab >"$tmp"
        # Rewrite in place: keeps the file's owner, mode and inode.
        cat "$tmp" >/etc/fstab
        if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
        echo "commented out the swap entries of /etc/fstab (original in /etc/fstab.hobbykube.bak)"
      fi
      echo "swap is off"`),
  });
}
