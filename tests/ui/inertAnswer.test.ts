// Expert answers are untrusted text: the inspector must render them escaped, never as HTML.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AnswerDiff } from '../../src/ui/inspector/AnswerDiff';
import { StepCard } from '../../src/ui/inspector/StepCard';
import { makeEpisode } from './episodeFactory';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(1)>';

describe('answer rendering is inert', () => {
  it('renders a hostile answer as escaped text, with and without a diff', () => {
    for (const previous of [null, 'an earlier harmless answer']) {
      const html = renderToString(createElement(AnswerDiff, { answer: EVIL, previous }));
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('a whole step card escapes the answer and the prompt', () => {
    const episode = makeEpisode(0, 0, `Q ${EVIL}`, [
      { expert: 'koala-7B', action: 0, score: 0.6, answer: 'first' },
      { expert: 'Vicuna-13B', action: 1, score: 0.7, answer: EVIL },
    ]);
    const html = renderToString(
      createElement(StepCard, { step: episode.steps[1], previousAnswer: 'first', names: ['koala-7B', 'Vicuna-13B', 'alpaca-13B'], p0: 0.73, tmax: 5 }),
    );
    expect(html).not.toMatch(/<script|<img/);
    expect(html.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(2);
    // The card shows the numbers and the chosen action.
    expect(html).toContain('Vicuna-13B');
    expect(html).toMatch(/◀<span class="sr-only"> chosen<\/span>/);
    expect(html).toContain('Step limit');
  });
});
