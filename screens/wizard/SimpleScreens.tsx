// Welcome, DNS and Domains & TLS: one form each, straight from the question model.
import type { WizardState, WizardStore } from '../../src/wizard/controller.js';
import { dnsForm, ingressForm, welcomeForm } from '../../src/wizard/model.js';
import { Form } from './Form.js';

interface Props {
  store: WizardStore;
  state: WizardState;
  width: number;
  height: number;
  active: boolean;
}

export function WelcomeScreen({ store, state, width, height, active }: Props) {
  const form = welcomeForm(state.answers);
  return (
    <Form
      key="welcome"
      form={form}
      width={width}
      height={height}
      active={active}
      submitLabel="go on to the nodes"
      onChange={(v) => store.keep('welcome', v)}
      onSubmit={(v) => store.submitWelcome(v)}
      onBack={(v) => store.keep('welcome', v)}
    />
  );
}

export function DnsScreen({ store, state, width, height, active }: Props) {
  const form = dnsForm(state.answers, store.dnsPrefill());
  return (
    <Form
      key="dns"
      form={form}
      width={width}
      height={height}
      active={active}
      submitLabel="go on to domains & TLS"
      onChange={(v) => store.keep('dns', v)}
      onSubmit={(v) => store.submitDns(v)}
      onBack={(v) => {
        store.keep('dns', v);
        store.go('nodes');
      }}
    />
  );
}

export function IngressScreen({ store, state, width, height, active }: Props) {
  const form = ingressForm(state.answers);
  return (
    <Form
      key="ingress"
      form={form}
      width={width}
      height={height}
      active={active}
      submitLabel="go on to the workloads"
      onChange={(v) => store.keep('ingress', v)}
      onSubmit={(v) => store.submitIngress(v)}
      onBack={(v) => {
        store.keep('ingress', v);
        store.go('dns');
      }}
    />
  );
}
