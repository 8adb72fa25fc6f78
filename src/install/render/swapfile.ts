// hobbykube's swapfile on small workers (MemTotal of 1 GiB or less, see src/node-profile.ts).
//
// Where: /var/lib/hobbykube/swapfile, beside the database volumes, on the disk the preflight
// checked. How big: twice MemTotal, rounded up to 64 MiB (940 MiB RAM -> 960 MiB swap on a "512
// MB" VPS). With LimitedSwap a Burstable container may swap request / MemTotal x swap, so with
// swap = 2 x RAM a pod whose request is a third of its limit has room for its whole limit
// (capacity.ts counts exactly that). Other swap areas the node already has (a provider's
// /swap.img) are left as they are: they only add room.
//
// The step is a probe (file of the right size, mode 0600, active, in /etc/fstab) and an idempotent
// action: `fallocate` where the filesystem supports it (instant on ext4 and xfs), zeros written
// with `dd` where it does not or where the kernel refuses the preallocated file (btrfs),
// `mkswap`, `swapon`, one fstab line. `reset` takes it all back (swapCleanup below).
import { sh } from '../../shell/quote.js';
import { script, shd, step, type StepScripts } from './script.js';

export const SWAPFILE = '/var/lib/hobbykube/swapfile';
export const SWAP_FSTAB_LINE = `${SWAPFILE} none swap sw 0 0`;
/** Disk left free beside the swapfile: the kubelet garbage-collects images at 85% and evicts below 10% free. */
export const SWAP_DISK_MARGIN_MIB = 1024;

/** Shell: succeeds when /etc/fstab has an uncommented swap line for FILE ($1). */
const FSTAB_FUNCTIONS = `
  fstab_has_swapfile() { [ -f /etc/fstab ] && awk -v f="$1" '!/^[[:space:]]*#/ && $1 == f && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab; }
  swap_active() { awk -v f="$1" 'NR > 1 && $1 == f { found = 1 } END { exit !found }' /proc/swaps; }`;

export function swapfileStep(sizeMiB: number): StepScripts {
  if (!Number.isInteger(sizeMiB) || sizeMiB < 64 || sizeMiB > 65536) throw new Error(`not a swapfile size: ${sizeMiB} MiB`);
  const bytes = String(sizeMiB * 1024 * 1024);
  return step({
    describe: `Create and turn on a ${sizeMiB} MiB swapfile (${SWAPFILE}, also at boot) for the kubelet's LimitedSwap`,
    probe: script(
      shd`
      file=${SWAPFILE}
      [ -f "$file" ] || exit 1
      [ "$(stat -c %s "$file")" = ${bytes} ] || exit 1
      [ "$(stat -c %a "$file")" = 600 ] || exit 1
      swap_active "$file" || exit 1
      fstab_has_swapfile "$file" || exit 1
      exit 0`,
      [FSTAB_FUNCTIONS],
    ),
    action: script(
      shd`
      file=${SWAPFILE}
      size_mib=${String(sizeMiB)}
      bytes=${bytes}
      margin_mib=${String(SWAP_DISK_MARGIN_MIB)}
      write_zeros() { dd if=/dev/zero of="$1" bs=1M count="$size_mib" status=none; }
      install -d -m 0700 "$(dirname "$file")"
      if [ -f "$file" ] && [ "$(stat -c %s "$file")" != "$bytes" ]; then
        # Another size from an earlier run: replaced.
        if swap_active "$file"; then swapoff "$file"; fi
        rm -f "$file"
      fi
      if [ ! -f "$file" ]; then
        avail=$(df --output=avail -m "$(dirname "$file")" | tail -n 1 | tr -d ' ')
        if [ "$avail" -lt $((size_mib + margin_mib)) ]; then
          echo "not enough disk for a $size_mib MiB swapfile: $avail MiB free on $(dirname "$file"), $((size_mib + margin_mib)) MiB needed" >&2
          exit 1
        fi
        rm -f "$file.new"
        # fallocate is instant on ext4 and xfs; where it is not supported, zeros are written.
        if ! fallocate -l "$size_mib"M "$file.new" 2>/dev/null; then
          rm -f "$file.new"
          write_zeros "$file.new"
        fi
        chmod 600 "$file.new"
        mkswap "$file.new" >/dev/null
        mv -f "$file.new" "$file"
        echo "created $file ($size_mib MiB)"
      fi
      chmod 600 "$file"
      if ! swap_active "$file"; then
        if ! swapon "$file"; then
          # Some filesystems (btrfs) refuse a preallocated swapfile: write it out and try once more.
          echo "swapon refused the preallocated file; writing $size_mib MiB of zeros instead" >&2
          write_zeros "$file"
          chmod 600 "$file"
          mkswap "$file" >/dev/null
          swapon "$file"
        fi
      fi
      if ! fstab_has_swapfile "$file"; then
        [ -e /etc/fstab.hobbykube.bak ] || cp -p /etc/fstab /etc/fstab.hobbykube.bak 2>/dev/null || true
        printf '%s\\n' ${SWAP_FSTAB_LINE} >>/etc/fstab
        echo "added $file to /etc/fstab"
      fi
      echo "swap is on: $file ($size_mib MiB)"`,
      [FSTAB_FUNCTIONS],
    ),
  });
}

/** Shell lines for reset: swap off and delete hobbykube's swapfile, drop its fstab line. */
export const SWAP_CLEANUP = [
  FSTAB_FUNCTIONS.trim(),
  sh`swapfile=${SWAPFILE}`,
  'if swap_active "$swapfile"; then swapoff "$swapfile"; fi',
  'rm -f "$swapfile" "$swapfile.new"',
  'if fstab_has_swapfile "$swapfile"; then',
  '  fstab=$(awk -v f="$swapfile" \'!(!/^[[:space:]]*#/ && $1 == f && $3 == "swap")\' /etc/fstab)',
  "  printf '%s\\n' \"$fstab\" >/etc/fstab",
  'fi',
].join('\n');

/** Shell test for reset's probe: exits 1 while the swapfile or its fstab line is still there. */
export const SWAP_LEFT_CHECK = [
  sh`swapfile=${SWAPFILE}`,
  '[ -e "$swapfile" ] && exit 1',
  '[ -f /etc/fstab ] && awk -v f="$swapfile" \'!/^[[:space:]]*#/ && $1 == f { found = 1 } END { exit !found }\' /etc/fstab && exit 1',
].join('\n');
