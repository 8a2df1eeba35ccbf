// The Evaluation tab wired to the training store: the worker evaluates its current agent.
import { useTrainingStore } from '../../store/trainingStore';
import { useRunContext } from '../hooks/useRunContext';
import { EvaluationPanel } from './EvaluationPanel';

export function EvaluationTab() {
  const evaluate = useTrainingStore((s) => s.evaluate);
  const runConfig = useTrainingStore((s) => s.info?.header.config ?? s.config);
  const ctx = useRunContext();
  return <EvaluationPanel evaluate={evaluate} runStopRule={ctx.stopRule} datasetLabel={runConfig.dataset.source} seed={runConfig.seed} />;
}
