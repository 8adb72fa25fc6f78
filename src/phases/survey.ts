// Before anything changes: each node the flow concerns is reached, its facts gathered and judged
// against its role (src/install/survey.ts); the findings go to the screen and the log. A node
// that is unreachable or fails preflight stops the flow with nothing changed.
import { formatFacts, formatVerdict } from '../facts/preflight.js';
import { factsByNode, surveyNodes as survey, surveyOk, type NodeSurvey } from '../install/survey.js';
import { CommandError } from '../exit.js';
import { makeStyle, type Style } from '../text/style.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

/** Facts and preflight verdict per node, as `plan` and `apply` print them. */
export function formatSurveys(surveys: readonly NodeSurvey[], style: Style): string[] {
  const lines: string[] = [];
  for (const s of surveys) {
    const label = `${s.node.name} (${s.node.address}, ${s.node.role})`;
    if (s.error) {
      lines.push(`${style.bold(label)}`, `  ${style.red('fail')}  ${s.error}`);
      continue;
    }
    lines.push(style.bold(label));
    for (const line of formatFacts(s.facts!, s.node.name)) lines.push(`  ${line}`);
    for (const line of formatVerdict(s.verdict!)) {
      const colour = line.startsWith('fail') ? style.red : line.startsWith('warn') ? style.yellow : style.green;
      lines.push(`  ${colour(line.slice(0, 4))}${line.slice(4)}`);
    }
  }
  return lines;
}

/** The nodes that are unreachable or failed preflight. */
export function notReady(surveys: readonly NodeSurvey[]): string[] {
  return surveys.filter((s) => s.error || !s.verdict?.ok).map((s) => s.node.name);
}

export const surveyNodes: Phase<FlowState> = {
  title: 'survey the nodes',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const { out, style } = state.operator;
    out.write(`Cluster ${state.spec.metadata.name}: checking ${state.nodes.map((n) => n.name).join(', ')}...\n`);
    const surveys = await survey(state.nodes, session, state.spec.spec.network);
    out.write(`${formatSurveys(surveys, style).join('\n')}\n\n`);
    state.log?.line(formatSurveys(surveys, makeStyle(false)).join('\n'));
    if (!surveyOk(surveys)) {
      const failed = notReady(surveys);
      throw new CommandError(`${failed.join(', ')} ${failed.length === 1 ? 'is' : 'are'} not ready (see above). Nothing was changed.`);
    }
    state.facts = factsByNode(surveys);
  },
};
