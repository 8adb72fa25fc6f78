// Welcome, DNS and Domains & TLS: one form each, from the flow (the DNS form comes prefilled from
// the control plane's resolvers). Typing keeps the values, Enter goes on, Esc goes back.
import type { SingleForm, WizardFlow, WizardState } from '../../src/wizard/flow.js';
import { Form } from './Form.js';

const SUBMIT_LABEL: Record<SingleForm, string> = {
  welcome: 'go on to the nodes',
  dns: 'go on to domains & TLS',
  ingress: 'go on to the workloads',
};

export interface ScreenProps {
  flow: WizardFlow;
  state: WizardState;
  width: number;
  height: number;
  active: boolean;
}

export function FormScreen({ id, flow, width, height, active }: ScreenProps & { id: SingleForm }) {
  return (
    <Form
      form={flow.form(id)}
      width={width}
      height={height}
      active={active}
      submitLabel={SUBMIT_LABEL[id]}
      onChange={(v) => flow.keep(id, v)}
      onSubmit={(v) => flow.submit(id, v)}
      onBack={(v) => flow.leave(id, v)}
    />
  );
}
