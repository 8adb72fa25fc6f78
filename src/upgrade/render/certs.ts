// Renewing the control plane's certificates without a version change (`upgrade --renew-certs`):
// `kubeadm certs renew all`, then the control plane's static pods restarted so they load the new
// certificates (kubeadm says so itself), as kubeadm's certificate management guide describes. The
// kubelets renew their own client certificates (rotateCertificates, kubeadm's default).
import { raw } from '../../shell/quote.js';
import { ADMIN_CONF, NODE_DIR, SHELL_HELPERS, script, shd, step, type StepScripts } from '../../install/render/script.js';

/** Renewed this recently (every certificate has at least this many days left): not renewed again. */
export const FRESH_DAYS = 360;
/** What the last restart saw: the certificates' and kubeconfigs' hash when the control plane was restarted on them. */
export const RESTART_MARK = `${NODE_DIR}/certificates-loaded`;
const CRICTL = 'crictl --runtime-endpoint unix:///run/containerd/containerd.sock';
/** The certificates and the control plane's kubeconfigs, hashed: changes whenever one is renewed. */
// A file that is not there (super-admin.conf on a cluster made before kubeadm 1.29) must not fail
// the hash under pipefail: cat's status is ignored, what it read is hashed.
const CERTS_HASH = String.raw`{ cat /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf 2>/dev/null || true; } | sha256sum | cut -d' ' -f1`;

export function renewCertificatesStep(): StepScripts {
  return step({
    describe: 'Renew the control plane\'s certificates: kubeadm certs renew all (one more year)',
    probe: script(shd`
      # Done when every certificate has at least ${String(FRESH_DAYS)} days left (renewed moments ago).
      out=$(kubeadm certs check-expiration 2>/dev/null) || exit 1
      # The certificates' table: its RESIDUAL TIME column follows the five words of EXPIRES.
      awk -v fresh=${FRESH_DAYS} '
        /^CERTIFICATE AUTHORITY/ { exit }
        /^CERTIFICATE / { table = 1; next }
        table && NF {
          if ($1 == "!MISSING!") { stale = 1; next }
          left = $7
          if (left ~ /y$/) next
          if (left ~ /d$/ && left + 0 >= fresh) next
          stale = 1
        }
        END { exit stale ? 1 : 0 }' <<<"$out"`),
    action: script(shd`kubeadm certs renew all`),
  });
}

export function restartControlPlaneStep(): StepScripts {
  return step({
    describe: 'Restart the control plane\'s components on their new certificates (about a minute without the API)',
    probe: script(
      shd`
      [ -f ${RESTART_MARK} ] || exit 1
      [ "$(cat ${RESTART_MARK})" = "$(${raw(CERTS_HASH)})" ] || exit 1
      [ "$(kq get --raw /readyz 2>/dev/null || true)" = ok ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      # Stopping a static pod's container makes the kubelet start it again, on the new files.
      mapfile -t ids < <(${raw(CRICTL)} ps -q --name '^(kube-apiserver|kube-controller-manager|kube-scheduler|etcd)$')
      if [ "\${#ids[@]}" -gt 0 ]; then ${raw(CRICTL)} stop "\${ids[@]}"; fi
      for _ in $(seq 1 90); do
        if [ "$(kc --request-timeout=10s get --raw /readyz 2>/dev/null || true)" = ok ]; then break; fi
        sleep 2
      done
      [ "$(kc --request-timeout=10s get --raw /readyz 2>/dev/null || true)" = ok ] || { echo "the API server does not answer /readyz after the restart" >&2; exit 1; }
      install -d -m 0755 ${NODE_DIR}
      ${raw(CERTS_HASH)} >${RESTART_MARK}
      echo "the control plane runs on the renewed certificates; admin.conf at ${ADMIN_CONF} has a new client certificate"`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}
