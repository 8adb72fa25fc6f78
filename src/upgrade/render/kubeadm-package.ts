// First on every node: point apt at the new minor's pkgs.k8s.io repository and upgrade kubeadm
// (unhold, install, hold), as kubeadm's upgrade guide does before anything else. Nothing runs
// differently yet: the kubelet and the control plane stay where they are.
import { raw } from '../../shell/quote.js';
import { aptRepositorySwitch, kubeadmVersionPattern, repositoryAndKubeadmProbe, SWITCH_HELPERS } from '../../install/render/kubernetes-packages.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from '../../install/render/script.js';
import { parseKubernetesVersion } from '../../install/render/version.js';

export interface KubeadmPackageInput {
  /** "1.37": the repository, and the minor kubeadm must have. */
  minor: string;
  /** "1.37.2": exactly this release (workers take the control plane's; an owner's `--to 1.37.2`). */
  pin?: string;
}

export function kubeadmPackageStep(input: KubeadmPackageInput): StepScripts {
  const minor = parseKubernetesVersion(input.minor).minor;
  if (input.pin !== undefined && parseKubernetesVersion(input.pin).patch !== input.pin) throw new Error(`not a patch release: ${input.pin}`);
  if (input.pin !== undefined && parseKubernetesVersion(input.pin).minor !== minor) throw new Error(`kubeadm ${input.pin} is not of minor ${minor}`);
  const switchLines = aptRepositorySwitch(minor);
  const wanted = kubeadmVersionPattern(minor, input.pin);
  const expected = input.pin ? `v${input.pin}` : `v${minor}.x`;
  const pkg = input.pin ? `kubeadm=${input.pin}-*` : 'kubeadm';
  return step({
    describe: `Switch to pkgs.k8s.io's v${minor} repository and upgrade kubeadm to ${expected} (unhold, install, hold)`,
    probe: script(shd`
      ${raw(repositoryAndKubeadmProbe(minor, input.pin))}
      # Read whole, then searched: \`apt-mark showhold | grep -q\` can lose apt-mark to SIGPIPE under pipefail.
      held=$(apt-mark showhold 2>/dev/null || true)
      grep -qx kubeadm <<<"$held" || exit 1
      exit 0`),
    action: script(
      shd`
      ${raw(switchLines)}
      apt_update
      apt-mark unhold kubeadm >/dev/null
      apt_get install -y --allow-change-held-packages ${pkg}
      apt-mark hold kubeadm >/dev/null
      version=$(kubeadm version -o short)
      case "$version" in
        ${raw(wanted)}) ;;
        *) printf 'kubeadm is %s after the install; expected %s from the repository\\n' "$version" ${expected} >&2; exit 1 ;;
      esac
      echo "kubeadm $version installed and held"`,
      SWITCH_HELPERS,
    ),
  });
}
