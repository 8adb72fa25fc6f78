// What the install downloads is checked against a pinned value before it is used; a mismatch
// stops the step and says what was expected and what arrived.
//
// - Files: sha256 (helm's tarball and the Traefik chart archive, src/workloads/addons.ts; helm
//   installs the chart from the checked file, never from its repository).
// - apt signing keys: their OpenPGP fingerprint. The fingerprint is what the publishers document
//   and what identifies the key material; a key file's bytes change whenever its expiry is
//   extended (pkgs.k8s.io's key was re-published after it expired on 2024-11-02,
//   kubernetes/release#3818), so a sha256 of the file would break with no change of trust.
//   apt then checks every repository index against the pinned key.
// flannel's manifest is no longer downloaded (render/flannel.ts). Not pinned by digest: container
// images, which containerd pulls by tag from their registries (not a URL the install fetches).
export const SIGNING_KEYS = {
  /**
   * pkgs.k8s.io's Release.key ("isv:kubernetes OBS Project"), the same key for every minor's
   * repository; fingerprint as gpg prints it for that file (kubernetes/kubernetes#128609).
   */
  kubernetes: 'DE15B14486CD377B9E876E1A234654DA9A296436',
  /** download.docker.com's key, as Docker's install guide documents it (docker/docs, engine/install). */
  docker: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88',
} as const;

/**
 * Shell functions: `verify_sha256 FILE SUM WHAT` and `verify_key FILE FINGERPRINT WHAT`. Each
 * returns 1 with one line on stderr naming what was expected and what was found.
 */
export const VERIFY_FUNCTIONS = `verify_sha256() {
  local file=$1 want=$2 what=$3 got
  got=$(sha256sum "$file" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    echo "$what: sha256 mismatch: expected $want, got $got; not using it" >&2
    return 1
  fi
}
verify_key() {
  local file=$1 want=$2 what=$3 home got
  home=$(mktemp -d)
  # The primary keys' fingerprints (a "fpr" record right after each "pub" record).
  got=$(gpg --batch --homedir "$home" --with-colons --show-keys "$file" 2>/dev/null |
    awk -F: '$1 == "pub" { primary = 1; next } primary && $1 == "fpr" { print $10; primary = 0 }' | paste -sd' ' -) || got=''
  rm -rf "$home"
  if [ "$got" != "$want" ]; then
    echo "$what: signing key fingerprint mismatch: expected $want, got \${got:-no OpenPGP key}; not trusting it" >&2
    return 1
  fi
}`;
