// kubelet, kubeadm and kubectl from pkgs.k8s.io (one apt repository per minor), held.
import { raw, sh } from '../../shell/quote.js';
import { aptRepositoryUrl, kubernetesPackages, parseKubernetesVersion } from './version.js';
import { SIGNING_KEYS, VERIFY_FUNCTIONS } from './pins.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';

const KEYRING = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
const SOURCES_LIST = '/etc/apt/sources.list.d/kubernetes.list';

/** The sources entry for one minor's repository, signed by the pinned key's keyring. */
const repositoryEntry = (minor: string): string => `deb [signed-by=${KEYRING}] ${aptRepositoryUrl(minor)} /`;

/**
 * The shell lines that point apt at one minor's pkgs.k8s.io repository (its signing key and the
 * sources entry, the key's fingerprint checked first), doing nothing when that is already so;
 * `upgrade` switches minors with them too. Scripts using them need SWITCH_HELPERS.
 */
export const SWITCH_HELPERS = [SHELL_HELPERS.apt, VERIFY_FUNCTIONS];

export function aptRepositorySwitch(minor: string): string {
  const repo = aptRepositoryUrl(minor);
  const entry = repositoryEntry(minor);
  return shd`
    install -d -m 0755 /etc/apt/keyrings
    if [ ! -s ${KEYRING} ] || [ "$(cat ${SOURCES_LIST} 2>/dev/null || true)" != ${entry} ]; then
      key=$(mktemp)
      curl -fsSL --retry 3 -o "$key" ${repo + 'Release.key'}
      verify_key "$key" ${SIGNING_KEYS.kubernetes} "pkgs.k8s.io's signing key" || { rm -f "$key"; exit 1; }
      gpg --dearmor --batch --yes -o ${KEYRING + '.new'} <"$key"
      rm -f "$key"
      chmod 0644 ${KEYRING + '.new'}
      mv -f ${KEYRING + '.new'} ${KEYRING}
      printf '%s\\n' ${entry} >${SOURCES_LIST}
    fi`;
}

/** A `case` pattern for `kubeadm version -o short`: exactly vPATCH, or any patch release of vMINOR. */
export function kubeadmVersionPattern(minor: string, patch?: string): string {
  // The quoted literal (prefix), then a bare `*` for "any patch release".
  return patch ? sh`${'v' + patch}` : sh`${'v' + minor + '.'}` + '*';
}

/**
 * Probe lines, shared with upgrade's kubeadm step: apt points at `minor`'s repository and kubeadm
 * reports that version (`patch` exactly, else any patch of the minor); `exit 1` otherwise.
 */
export function repositoryAndKubeadmProbe(minor: string, patch?: string): string {
  return shd`
    [ "$(cat ${SOURCES_LIST} 2>/dev/null || true)" = ${repositoryEntry(minor)} ] || exit 1
    version=$(kubeadm version -o short 2>/dev/null) || exit 1
    case "$version" in
      ${raw(kubeadmVersionPattern(minor, patch))}) ;;
      *) exit 1 ;;
    esac`;
}

export function kubernetesPackagesStep(kubernetesVersion: string): StepScripts {
  const version = parseKubernetesVersion(kubernetesVersion);
  const switchLines = aptRepositorySwitch(version.minor);
  return step({
    describe: `Install kubelet, kubeadm and kubectl ${version.patch ?? version.minor + '.x'} from pkgs.k8s.io and hold them`,
    probe: script(shd`
      ${raw(repositoryAndKubeadmProbe(version.minor, version.patch))}
      held=$(apt-mark showhold 2>/dev/null || true)
      for package in kubelet kubeadm kubectl; do grep -qx "$package" <<<"$held" || exit 1; done
      systemctl is-enabled --quiet kubelet || exit 1
      exit 0`),
    action: script(
      shd`
      ${raw(switchLines)}
      apt_update
      apt_get install -y --allow-change-held-packages ${kubernetesPackages(version)}
      apt-mark hold kubelet kubeadm kubectl >/dev/null
      # The kubelet restarts in a loop until kubeadm init/join gives it a configuration: expected.
      systemctl enable kubelet >/dev/null
      echo "installed kubeadm $(kubeadm version -o short); kubelet, kubeadm and kubectl are held"`,
      SWITCH_HELPERS,
    ),
  });
}
