// The text model of one simulated expert call: derive an answer from the reference answer, and —
// when a previous answer is given — merge it: keep what it got right (transfer skill), repair what
// it missed (own quality), and sometimes copy its mistakes (a weak expert is misled).
//
// Errors are written so that the answer still reads like an LLM answer: a part of the reference
// the expert does not know is left out or replaced by a fluent, on-topic but wrong or empty
// sentence of the domain's phrase bank (phrasebook.ts); inside a sentence it knows, a wrong word is
// a near miss (a close number, a word of the question or of the domain, a synonym), never an
// unrelated random word.
//
// Two random streams: `knowledge` decides WHICH parts of the reference the expert knows (fixed per
// expert and question, so asking the same expert again does not reveal new facts, while a
// different expert knows different parts: routes of complementary experts gain most); `rng` decides
// everything about the writing (error kinds, substitutes, padding, what is kept from the previous
// answer) and changes with every call. Each unit takes a fixed number of draws, so for fixed streams
// a higher `quality` never removes a correct unit: the score is (close to) monotone in quality,
// which is what makes calibration by bisection work.
import type { Rng } from '../../der/rng';
import type { SimulatedExpertProfile } from './profiles';
import { CLOSINGS, DOMAIN_PADDING, DOMAIN_WORDS, GENERIC_PREAMBLES, HEDGES, NON_ANSWERS, QUESTION_STOP_WORDS, SYNONYMS } from './phrasebook';
import { joinSentences, parseReference, splitSentences, type Sentence, type Token } from './textUnits';

export interface WriteAnswerInput {
  profile: SimulatedExpertProfile;
  /** The expert's quality on this question, in [0, 1]: the chance of getting a unit right. */
  quality: number;
  reference: string;
  /** Lower-case domain name, or 'default'. */
  domain: string;
  /** The question text: its words are the "related" substitutes. */
  questionText: string;
  previous: string | null;
  /** The expert's knowledge of this question: fixed per (seed, expert, question). Only forked here. */
  knowledge: Rng;
  /** The call's random stream: changes with the previous answer and t. Only forked here. */
  rng: Rng;
}

/** Chance that the expert knows a reference sentence (writes a version of it), as a function of quality. */
const sentenceKeepChance = (q: number) => 0.9 * q;
/** Chance that a word of a sentence the expert knows is right. */
const wordAccuracy = (q: number) => 0.6 + 0.4 * q;
/** Words shorter than this are function words: a slip on them changes nothing visible. */
const MIN_CONTENT_WORD = 4;
/** A previous-answer sentence counts as covering a reference sentence from this overlap share. */
const COVERAGE_THRESHOLD = 0.3;

const EDGE_PUNCTUATION = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su;

function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.max(0, Math.floor(u * items.length)))];
}

/** Put a substitute word in the place of `token`, keeping its punctuation and capital letter. */
function replaceCore(token: Token, word: string): string {
  const [, before, core, after] = EDGE_PUNCTUATION.exec(token.text) ?? ['', '', token.text, ''];
  const capital = core.length > 0 && core[0] !== core[0].toLowerCase();
  return before + (capital ? word[0].toUpperCase() + word.slice(1) : word) + after;
}

const isNumber = (key: string) => /^\d+$/.test(key) || NUMBER_WORDS.includes(key);

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

function nearNumber(key: string, u: number): string {
  const asWord = NUMBER_WORDS.indexOf(key);
  if (asWord >= 0) return NUMBER_WORDS[asWord === 0 || (u >= 0.5 && asWord < NUMBER_WORDS.length - 1) ? asWord + 1 : asWord - 1];
  const n = Number(key);
  const step = 1 + Math.floor(u * 3);
  return String(u < 0.5 && n >= step ? n - step : n + step);
}

const questionWordsCache = new Map<string, string[]>();
function questionWords(questionText: string): string[] {
  let words = questionWordsCache.get(questionText);
  if (!words) {
    if (questionWordsCache.size > 4096) questionWordsCache.clear();
    words = questionText
      .toLowerCase()
      .split(/\s+/u)
      .map((w) => w.replace(/^[^a-z]+|[^a-z]+$/g, ''))
      // Plain words only: "doesn't" or "non-negative" would come out as "doesnt", "nonnegative".
      .filter((w) => /^[a-z]+$/.test(w) && w.length >= MIN_CONTENT_WORD && !QUESTION_STOP_WORDS.has(w));
    questionWordsCache.set(questionText, words);
  }
  return words;
}

interface TokenContext {
  domain: string;
  questionText: string;
  style: SimulatedExpertProfile['style'];
}

/** A near miss: a word of the question or an in-domain word, or a close number. */
function relatedWord(token: Token, u: number, ctx: TokenContext): string {
  if (isNumber(token.key)) return nearNumber(token.key, u);
  const fromQuestion = questionWords(ctx.questionText).filter((w) => w !== token.key);
  // Re-use the draw within each branch: u is uniform on the branch's sub-interval.
  if (fromQuestion.length && u < 0.5) return pick(fromQuestion, u * 2);
  const domainWords = DOMAIN_WORDS[ctx.domain] ?? DOMAIN_WORDS.default;
  return pick(domainWords, u < 0.5 ? u * 2 : (u - 0.5) * 2);
}

/** The expert's own version of one reference token in a sentence it knows, or null when it leaves the word out. */
function ownToken(token: Token, q: number, draws: readonly number[], ctx: TokenContext): string | null {
  const [correct, kind, choice, phrasing] = draws;
  // Symbols, punctuation and code structure are always kept: dropping them breaks the text.
  if (!token.key) return token.text;
  const synonyms = SYNONYMS[token.key];
  if (correct < wordAccuracy(q)) {
    return synonyms && phrasing < ctx.style.paraphrase ? replaceCore(token, pick(synonyms, choice)) : token.text;
  }
  // A wrong number is a close number; a slip on a function word is invisible; a wrong content word
  // is a near miss from the question or the domain, else a synonym (the right meaning, other words).
  if (isNumber(token.key)) return replaceCore(token, nearNumber(token.key, choice));
  if (token.key.length < MIN_CONTENT_WORD || QUESTION_STOP_WORDS.has(token.key)) return token.text;
  if (kind < ctx.style.relatedSubstitution) return replaceCore(token, relatedWord(token, choice, ctx));
  return synonyms ? replaceCore(token, pick(synonyms, choice)) : token.text;
}

interface PreviousMatch {
  /** The previous answer's sentence that best covers this reference sentence, if any covers it. */
  sentence: Sentence | null;
  /** Positions of its tokens that are not in the reference sentence: what a misled expert copies. */
  mistakes: number[];
}

/** For each reference sentence, the previous-answer sentence covering it (by shared word keys). */
function matchPrevious(reference: readonly Sentence[], previous: readonly Sentence[]): { matches: PreviousMatch[]; used: Set<number> } {
  const used = new Set<number>();
  const matches = reference.map((ref): PreviousMatch => {
    let best = -1;
    let bestOverlap = 0;
    previous.forEach((prev, i) => {
      let overlap = 0;
      for (const key of ref.keys) if (prev.keys.has(key)) overlap++;
      if (overlap > bestOverlap) [best, bestOverlap] = [i, overlap];
    });
    if (best < 0 || bestOverlap < COVERAGE_THRESHOLD * Math.max(1, ref.keys.size)) return { sentence: null, mistakes: [] };
    used.add(best);
    const sentence = previous[best];
    return { sentence, mistakes: sentence.tokens.flatMap((t, i) => (t.key && !ref.keys.has(t.key) ? [i] : [])) };
  });
  return { matches, used };
}

/**
 * The previous answer's wrong word at (about) the same place in the sentence, if there is one
 * within two words: copying it reproduces the previous answer's mistake and keeps the sentence fluent.
 */
function alignedMistake(match: PreviousMatch, position: number, refLength: number): string | null {
  const tokens = match.sentence!.tokens;
  const at = Math.round((position / Math.max(1, refLength - 1)) * (tokens.length - 1));
  let best: number | null = null;
  for (const i of match.mistakes) if (Math.abs(i - at) <= 2 && (best === null || Math.abs(i - at) < Math.abs(best - at))) best = i;
  return best === null ? null : tokens[best].text;
}

/**
 * Write one sentence of the answer from reference sentence `ref`. With a previous version
 * (`match.sentence`), each word it has is kept with the transfer skill; each word it lacks is
 * the expert's own attempt, unless the expert is misled into copying one of its mistakes.
 */
function writeSentence(ref: Sentence, q: number, knows: Rng, rng: Rng, ctx: TokenContext, transfer: number, match: PreviousMatch | null): string[] {
  const words: string[] = [];
  const misledChance = (1 - transfer) * (1 - q) * 0.8;
  ref.tokens.forEach((token, position) => {
    const draws = [knows.next(), rng.next(), rng.next(), rng.next()];
    const keep = rng.next();
    const misled = rng.next();
    let word: string | null;
    if (match?.sentence && token.key) {
      if (match.sentence.keys.has(token.key) && keep < transfer) word = token.text;
      else if (!match.sentence.keys.has(token.key) && misled < misledChance) {
        word = alignedMistake(match, position, ref.tokens.length) ?? ownToken(token, q, draws, ctx);
      } else word = ownToken(token, q, draws, ctx);
    } else word = ownToken(token, q, draws, ctx);
    if (word !== null) words.push(word);
  });
  return words;
}

interface OutSentence {
  words: string[];
  separator: string;
}

const asSentence = (text: string): OutSentence => ({ words: text.split(' '), separator: ' ' });

/** Put a hedge in front of a sentence, lower-casing an ordinary first word. */
function hedge(words: string[], u: number): string[] {
  if (!words.length) return words;
  const first = words[0];
  const ordinary = first.length > 1 && first[1] === first[1].toLowerCase() && first !== 'I';
  return [...pick(HEDGES, u).split(' '), ordinary ? first[0].toLowerCase() + first.slice(1) : first, ...words.slice(1)];
}

export function writeAnswer(input: WriteAnswerInput): string {
  const { profile, quality: q, reference, domain, previous, rng, knowledge } = input;
  const style = profile.style;
  const ctx: TokenContext = { domain, questionText: input.questionText, style };
  const refSentences = parseReference(reference);
  const prevSentences = previous ? splitSentences(previous) : [];
  const transfer = previous ? profile.transferSkill : 0;
  const { matches, used } = matchPrevious(refSentences, prevSentences);
  const padding = DOMAIN_PADDING[domain] ?? DOMAIN_PADDING.default;
  // A phrase-bank sentence not yet in this answer (the next one along when the draw repeats one).
  const usedPadding = new Set<number>();
  const freshPadding = (u: number): OutSentence => {
    let i = Math.min(padding.length - 1, Math.floor(u * padding.length));
    while (usedPadding.has(i) && usedPadding.size < padding.length) i = (i + 1) % padding.length;
    usedPadding.add(i);
    return asSentence(padding[i]);
  };
  const plan = rng.fork('plan');
  // An expert that knows (next to) nothing may not answer at all; a previous answer to build on
  // makes that less likely, the more so the better the expert uses it and the more of the
  // reference the previous answer covers.
  const [evadeDraw, evadeChoice] = [plan.next(), plan.next()];
  // Only a previous answer that covers the reference gives something to build on (junk does not).
  const covered = refSentences.length ? used.size / refSentences.length : 0;
  if (evadeDraw < style.evasion * (1 - q) ** 2 * (1 - transfer * covered)) return pick(NON_ANSWERS, evadeChoice);
  const remembers = knowledge.fork('sentences');
  const maxSentences = Math.max(1, Math.ceil(refSentences.length * style.maxSentenceShare));

  const body: OutSentence[] = [];
  let written = 0;
  // At most one stand-in sentence: an expert that knows little writes a short, vague answer
  // (a long one of generic sentences would read as rambling and score like a half-right answer).
  let paddedBody = false;
  refSentences.forEach((ref, j) => {
    const keepDraw = remembers.next();
    const [padDraw, padChoice, hedgeDraw, hedgeChoice] = [plan.next(), plan.next(), plan.next(), plan.next()];
    const match = previous ? matches[j] : null;
    // A sentence the previous answer has is kept with the transfer skill, else rewritten from own
    // knowledge; one it lacks is repaired from own knowledge, less often when anchored on a weak answer.
    const ownChance = sentenceKeepChance(q) + (j === 0 ? 0.3 * q : 0);
    const keepChance = match?.sentence ? transfer + (1 - transfer) * ownChance : ownChance * (previous ? 1 - 0.3 * (1 - transfer) : 1);
    if (keepDraw < keepChance && written < maxSentences) {
      let words = writeSentence(ref, q, knowledge.fork(`s${j}`), rng.fork(`s${j}`), ctx, transfer, match);
      if (hedgeDraw < style.hedging) words = hedge(words, hedgeChoice);
      if (words.length) {
        body.push({ words, separator: ref.separator });
        written++;
      }
    } else if (padDraw >= style.omission && !paddedBody) {
      paddedBody = true;
      // A part it does not know: a fluent, on-topic sentence that does not answer it (or nothing).
      body.push(freshPadding(padChoice));
    }
  });
  // Separate streams for the parts whose number of draws depends on the answer so far, so that
  // the later choices do not shift when quality changes.
  const ordering = rng.fork('order');
  for (let i = 0; i + 1 < body.length; i++) {
    if (ordering.next() < style.reorder) [body[i], body[i + 1]] = [body[i + 1], body[i]];
  }

  // Sentences of the previous answer that match nothing in the reference (its padding and
  // preambles): an expert with little transfer skill carries them along.
  const carriedBefore: OutSentence[] = [];
  const carriedAfter: OutSentence[] = [];
  const firstUsed = used.size ? Math.min(...used) : Infinity;
  const carrying = rng.fork('carry');
  prevSentences.forEach((sentence, i) => {
    const carry = carrying.next() < (1 - transfer) * 0.7;
    if (used.has(i) || !carry) return;
    (i < firstUsed ? carriedBefore : carriedAfter).push({ words: sentence.tokens.map((t) => t.text), separator: sentence.separator });
  });

  const extras = rng.fork('extras');
  const [preambleDraw, preambleChoice, closingDraw, closingChoice, rambleDraw, rambleChoice] = [
    extras.next(),
    extras.next(),
    extras.next(),
    extras.next(),
    extras.next(),
    extras.next(),
  ];
  const out: OutSentence[] = [];
  const preambles = [...style.preambles, ...GENERIC_PREAMBLES];
  if (preambleDraw < style.verbosity * 0.9 && !carriedBefore.length) out.push(asSentence(pick(preambles, preambleChoice)));
  out.push(...carriedBefore, ...body);
  if (rambleDraw < style.verbosity * 0.3) out.push(freshPadding(rambleChoice));
  out.push(...carriedAfter);
  if (closingDraw < style.verbosity * 0.6 && !carriedAfter.length) out.push(asSentence(pick(CLOSINGS, closingChoice)));
  if (!body.length && !carriedBefore.length && !carriedAfter.length) out.push(freshPadding(rambleChoice));
  return joinSentences(out);
}
