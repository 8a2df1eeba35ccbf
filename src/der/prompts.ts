// What the experts and the state encoder see: the raw question first, the Knowledge Transfer
// Prompt (KTP) after, and the `Question:… Answer:…` state text of the reference code.
import { KTP_PAPER_TEMPLATE, KTP_REFERENCE_TEMPLATE, type KtpConfig } from './config';
import { questionText, type Question } from './types';

/** The template text a KTP config selects. */
export function ktpTemplate(ktp: KtpConfig): string {
  switch (ktp.template) {
    case 'reference':
      return KTP_REFERENCE_TEMPLATE;
    case 'paper':
      return KTP_PAPER_TEMPLATE;
    case 'custom':
      return ktp.custom;
  }
}

/**
 * Fill {question} and {previous} in one pass. Replacement is literal: a `$` in an answer is not a
 * replacement pattern, and a `{previous}` inside the question text is not substituted again.
 */
export function fillTemplate(template: string, question: string, previous: string): string {
  return template.replace(/\{question\}|\{previous\}/g, (placeholder) => (placeholder === '{question}' ? question : previous));
}

/** The prompt sent to the expert: the raw question at the first step (no previous answer), the KTP after. */
export function renderPrompt(question: Question, previous: string | null, ktp: KtpConfig): string {
  const text = questionText(question);
  if (previous === null) return text;
  return fillTemplate(ktpTemplate(ktp), text, previous);
}

/** The state text the encoder sees; the first state (no answer yet) has a single space as answer. */
export function stateText(question: Question, latestAnswer: string | null): string {
  return `Question:${questionText(question)} Answer:${latestAnswer ?? ' '}`;
}
