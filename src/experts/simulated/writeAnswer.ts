// The text model of one simulated expert call: derive an answer from the reference answer by
// expert-specific omissions, substitutions, padding and phrasing, and — when a previous answer is
// given — merge it: keep what it got right (transfer skill), repair what it missed (own quality),
// and sometimes copy its mistakes (a weak expert is misled).
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
import { CLOSINGS, DOMAIN_PADDING, DOMAIN_WORDS, GENERIC_PREAMBLES, HEDGES, NON_ANSWERS, SYNONYMS, WRONG_WORDS } from './phrasebook';
import { joinSentences, parseReference, splitSentences, tokenKey, type Sentence, type Token } from './textUnits';

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

/** Chance that a reference sentence appears at all, as a function of quality. */
const sentenceKeepChance = (q: number) => 0.55 + 0.45 * q;
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

const isNumber = (key: string) => /^\d+$/.test(key);

function nearNumber(key: string, u: number): string {
  const n = Number(key);
  const step = 1 + Math.floor(u * 3);
  return String(u < 0.5 && n >= step ? n - step : n + step);
}

const questionWordsCache = new Map<string, string[]>();
function questionWords(questionText: string): string[] {
  let words = questionWordsCache.get(questionText);
  if (!words) {
    if (questionWordsCache.size > 4096) questionWordsCache.clear();
    words = questionText.split(/\s+/u).map(tokenKey).filter((w) => w.length >= 4 && !/^\d+$/.test(w));
    questionWordsCache.set(questionText, words);
  }
  return words;
}

interface TokenContext {
  domain: string;
  questionText: string;
  style: SimulatedExpertProfile['style'];
}

/** A near miss: a related word (synonym, a word of the question, an in-domain word) or a close number. */
function relatedWord(token: Token, u: number, ctx: TokenContext): string {
  if (isNumber(token.key)) return nearNumber(token.key, u);
  const synonyms = SYNONYMS[token.key];
  if (synonyms && u < 0.5) return pick(synonyms, u * 2);
  const fromQuestion = questionWords(ctx.questionText);
  // Re-use the draw within each branch: u is uniform on the branch's sub-interval.
  if (fromQuestion.length && u >= 0.5 && u < 0.75) return pick(fromQuestion, (u - 0.5) * 4);
  return pick(DOMAIN_WORDS[ctx.domain] ?? DOMAIN_WORDS.default, u);
}

function wrongWord(token: Token, u: number): string {
  if (isNumber(token.key)) return String(Math.floor(u * 1000));
  return pick(WRONG_WORDS, u);
}

/** The expert's own version of one reference token, or null when it leaves the word out. */
function ownToken(token: Token, q: number, draws: readonly number[], ctx: TokenContext): string | null {
  const [correct, kind, choice, phrasing] = draws;
  // Symbols and punctuation carry no content; a weak expert still loses some of the structure.
  if (!token.key) return correct < 0.5 + 0.5 * q ? token.text : null;
  if (correct < q) {
    const synonyms = SYNONYMS[token.key];
    return synonyms && phrasing < ctx.style.paraphrase ? replaceCore(token, pick(synonyms, choice)) : token.text;
  }
  // A competent expert's mistakes are omissions and near misses; a weak one makes things up.
  const omissionShare = ctx.style.omission * (0.3 + 0.7 * q);
  if (kind < omissionShare) return null;
  const relatedShare = ctx.style.relatedSubstitution * (0.5 + 0.5 * q);
  const related = (kind - omissionShare) / (1 - omissionShare) < relatedShare;
  return replaceCore(token, related ? relatedWord(token, choice, ctx) : wrongWord(token, choice));
}

interface PreviousMatch {
  /** The previous answer's sentence that best covers this reference sentence, if any covers it. */
  sentence: Sentence | null;
  /** Its tokens that are not in the reference sentence: what a misled expert copies. */
  mistakes: Token[];
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
    return { sentence, mistakes: sentence.tokens.filter((t) => t.key && !ref.keys.has(t.key)) };
  });
  return { matches, used };
}

/**
 * Write one sentence of the answer from reference sentence `ref`. With a previous version
 * (`match.sentence`), each word it has is kept with the transfer skill; each word it lacks is
 * the expert's own attempt, unless the expert is misled into copying one of its mistakes.
 */
function writeSentence(
  ref: Sentence,
  q: number,
  knows: Rng,
  rng: Rng,
  ctx: TokenContext,
  transfer: number,
  match: PreviousMatch | null,
): string[] {
  const words: string[] = [];
  const misledChance = (1 - transfer) * (1 - q) * 0.8;
  for (const token of ref.tokens) {
    const draws = [knows.next(), rng.next(), rng.next(), rng.next()];
    const keep = rng.next();
    const misled = rng.next();
    let word: string | null;
    if (match?.sentence && token.key) {
      if (match.sentence.keys.has(token.key) && keep < transfer) word = token.text;
      else if (!match.sentence.keys.has(token.key) && misled < misledChance) {
        word = match.mistakes.length ? match.mistakes[Math.floor(draws[2] * match.mistakes.length)].text : null;
      } else word = ownToken(token, q, draws, ctx);
    } else word = ownToken(token, q, draws, ctx);
    if (word !== null) words.push(word);
  }
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
  const plan = rng.fork('plan');
  // An expert that knows (next to) nothing may not answer at all; a previous answer to build on
  // makes that less likely, the more so the better the expert uses it.
  const [evadeDraw, evadeChoice] = [plan.next(), plan.next()];
  if (evadeDraw < style.evasion * (1 - q) ** 2 * (1 - transfer)) return pick(NON_ANSWERS, evadeChoice);
  const remembers = knowledge.fork('sentences');
  const maxSentences = Math.max(1, Math.ceil(refSentences.length * style.maxSentenceShare));

  const body: OutSentence[] = [];
  let written = 0;
  refSentences.forEach((ref, j) => {
    const keepDraw = remembers.next();
    const [padDraw, padChoice, hedgeDraw, hedgeChoice] = [plan.next(), plan.next(), plan.next(), plan.next()];
    const match = previous ? matches[j] : null;
    // A sentence the previous answer has is kept with the transfer skill, else rewritten from own
    // knowledge; one it lacks is repaired from own knowledge, less often when anchored on a weak answer.
    const ownChance = sentenceKeepChance(q) + (j === 0 ? 0.3 : 0);
    const keepChance = match?.sentence
      ? transfer + (1 - transfer) * ownChance
      : ownChance * (previous ? 1 - 0.3 * (1 - transfer) : 1);
    if (keepDraw < keepChance && written < maxSentences) {
      let words = writeSentence(ref, q, knowledge.fork(`s${j}`), rng.fork(`s${j}`), ctx, transfer, match);
      if (hedgeDraw < style.hedging) words = hedge(words, hedgeChoice);
      if (words.length) {
        body.push({ words, separator: ref.separator });
        written++;
      }
    } else if (padDraw < (1 - q) * 0.6) {
      body.push(asSentence(pick(padding, padChoice)));
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
    extras.next(), extras.next(), extras.next(), extras.next(), extras.next(), extras.next(),
  ];
  const out: OutSentence[] = [];
  const preambles = [...style.preambles, ...GENERIC_PREAMBLES];
  if (preambleDraw < style.verbosity * 0.9 && !carriedBefore.length) out.push(asSentence(pick(preambles, preambleChoice)));
  out.push(...carriedBefore, ...body);
  if (rambleDraw < style.verbosity * 0.3) out.push(asSentence(pick(padding, rambleChoice)));
  out.push(...carriedAfter);
  if (closingDraw < style.verbosity * 0.6 && !carriedAfter.length) out.push(asSentence(pick(CLOSINGS, closingChoice)));
  if (!body.length && !carriedBefore.length && !carriedAfter.length) out.push(asSentence(pick(padding, rambleChoice)));
  return joinSentences(out);
}
