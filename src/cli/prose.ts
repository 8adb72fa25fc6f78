// Text for a person: in a terminal, long lines break at spaces, since the terminal itself would
// cut words (and a fingerprint or a path) wherever the line reaches its edge. Scripts and logs get
// the lines whole.
import { wrapForTerminal } from '../text/wrap.js';
import type { Output } from './context.js';

export function proseOutput(output: Output): Output {
  return {
    write: (text) => output.write(wrapForTerminal(text, output.isTTY ? output.columns : undefined)),
    isTTY: output.isTTY,
    get columns() {
      return output.columns;
    },
  };
}
