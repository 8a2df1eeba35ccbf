// An expert's answer as TEXT, marked up with a word diff against the previous answer. React
// escapes every string it renders; the answer is never injected as HTML.
import { memo, useMemo } from 'react';
import { diffStats, wordDiff } from './wordDiff';

export interface AnswerDiffProps {
  answer: string;
  /** The previous step's answer; null for the first answer (no diff). */
  previous: string | null;
}

export const AnswerDiff = memo(function AnswerDiff({ answer, previous }: AnswerDiffProps) {
  const parts = useMemo(() => (previous === null ? null : wordDiff(previous, answer)), [answer, previous]);
  if (parts === null) {
    return (
      <div className="answer-text" data-testid="answer-text">
        {answer}
      </div>
    );
  }
  const stats = diffStats(parts);
  return (
    <>
      <p className="diff-stats">
        vs previous answer: <span className="diff-added-count">+{stats.added}</span> words, <span className="diff-removed-count">−{stats.removed}</span> words,{' '}
        {stats.same} kept
      </p>
      <div className="answer-text" data-testid="answer-text">
        {parts.map((p, i) =>
          p.kind === 'same' ? <span key={i}>{p.text}</span> : p.kind === 'added' ? <ins key={i}>{p.text}</ins> : <del key={i}>{p.text}</del>,
        )}
      </div>
    </>
  );
});
