// The Evaluation tab wired to the training store: the worker evaluates its current agent.
import { useRunConfig, useTrainingStore } from '../../store/trainingStore';
import { useRunContext } from '../hooks/useRunContext';
import { EvaluationPanel } from './EvaluationPanel';

export function EvaluationTab() {
  const evaluate = useTrainingStore((s) => s.evaluate);
  const runConfig = useRunConfig();
  const ctx = useRunContext();
  return <EvaluationPanel evaluate={evaluate} runStopRule={ctx.stopRule} datasetLabel={runConfig.dataset.source} seed={runConfig.seed} />;
}
