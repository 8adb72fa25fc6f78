// containerd's sandbox (pause) image, aligned with the one this node's kubeadm deploys.
import { CONTAINERD_CONFIG, CONTAINERD_FUNCTIONS, PAUSE_FUNCTION } from './containerd.js';
import { script, step, type StepScripts } from './script.js';

/** containerd's sandbox (pause) image set to the one kubeadm expects (else kubeadm's preflight warns and two pause images are pulled). */
export function sandboxImageStep(): StepScripts {
  return step({
    describe: "Point containerd's sandbox (pause) image at the one this kubeadm uses",
    probe: script(
      `
      command -v kubeadm >/dev/null 2>&1 || exit 1
      pause=$(kubeadm_pause_image) || exit 1
      [ -n "$pause" ] || exit 1
      grep -Fq "= \\"$pause\\"" ${CONTAINERD_CONFIG} || exit 1
      systemctl is-active --quiet containerd || exit 1
      exit 0`,
      [PAUSE_FUNCTION],
    ),
    action: script(
      `
      pause=$(kubeadm_pause_image)
      if [ -z "$pause" ]; then
        echo "kubeadm config images list names no pause image" >&2
        exit 1
      fi
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      rewrite_containerd_config ${CONTAINERD_CONFIG} "$work/config.toml" "$pause"
      if ! grep -Fq "= \\"$pause\\"" "$work/config.toml"; then
        echo "found no sandbox image setting in ${CONTAINERD_CONFIG}" >&2
        exit 1
      fi
      if install_containerd_config "$work/config.toml" || ! systemctl is-active --quiet containerd; then
        systemctl restart containerd
      fi
      echo "containerd sandbox image: $pause"`,
      [PAUSE_FUNCTION, CONTAINERD_FUNCTIONS],
    ),
  });
}
