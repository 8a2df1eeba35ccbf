// The status line's loading bar: a determinate bar with its value when the worker knows how much
// is loaded of how much (model downloads), an indeterminate one otherwise, and the stage in words.
import type { LoadProgress } from '../../worker/protocol';
import { progressFraction, progressText } from './loadProgress';

export function LoadProgressLine({ progress }: { progress: LoadProgress }) {
  const fraction = progressFraction(progress);
  return (
    <p className="progress-line" role="status">
      {fraction === null ? <progress aria-label="Loading progress" /> : <progress aria-label="Loading progress" value={fraction} max={1} />}{' '}
      {progressText(progress)}
    </p>
  );
}
