// The words and phrases simulated experts use when they do not reproduce the reference:
// preambles, hedges, closings, plausible-but-wrong sentences per domain, related and wrong words.
// Small fixed lists keep generation cheap and deterministic.

export const GENERIC_PREAMBLES: readonly string[] = [
  'Sure! Here is an answer to your question.',
  'Great question.',
  'Let me explain.',
  'Here is a short explanation.',
];

export const HEDGES: readonly string[] = [
  'I think', 'In general,', 'Probably', 'As far as I know,', 'It seems that', 'Basically,', 'In most cases,',
];

/** Non-answers: what a weak expert says when it knows nothing about the question. */
export const NON_ANSWERS: readonly string[] = [
  "I'm sorry, but I cannot answer that question.",
  "I don't know.",
  "I'm not sure about this, sorry.",
  "I'm sorry, I don't have enough information to answer that.",
  'That is a difficult question and I cannot say for certain.',
];

export const CLOSINGS: readonly string[] = [
  'I hope this helps!',
  'Let me know if you have any other questions.',
  'Please let me know if you need more details.',
  'I hope this answers your question.',
];

/** Plausible, on-topic but uninformative or wrong sentences, per domain. */
export const DOMAIN_PADDING: Readonly<Record<string, readonly string[]>> = {
  arithmetic: [
    'To solve this, we need to add the numbers together first.',
    'We can multiply both values and then divide by the total.',
    'The result depends on the order of the operations.',
    'First we subtract the smaller number from the larger number.',
    'So the final answer is a whole number.',
  ],
  science: [
    'This happens because of a chemical reaction in the environment.',
    'Scientists have studied this process for many years.',
    'The energy is converted into heat and light.',
    'It is related to the structure of the atoms involved.',
    'Many factors in nature influence this effect.',
  ],
  programming: [
    'You can solve this by writing a simple loop over the list.',
    'It is a good idea to use a function for this.',
    'Make sure to handle the edge cases and test your code.',
    'This can be done with a few lines of Python.',
    'The variable should be initialized before it is used.',
  ],
  health: [
    'It is always best to consult your doctor about this.',
    'A healthy diet and regular exercise are important.',
    'Everyone is different, so the symptoms can vary.',
    'Drinking enough water can also help.',
    'If the problem continues, you should see a specialist.',
  ],
  writing: [
    'It was a beautiful day and everyone was happy.',
    'The story is about friendship and hope.',
    'This text should be clear, simple and engaging.',
    'Good writing needs a strong opening and a clear ending.',
    'Words can express many different feelings.',
  ],
  geography: [
    'It is one of the largest and most famous places in the region.',
    'The climate there is mild for most of the year.',
    'Many tourists visit it every year.',
    'It lies close to the border with a neighbouring country.',
    'The area has a long and interesting history.',
  ],
  default: [
    'There are many factors to consider here.',
    'This is a complex topic with many different aspects.',
    'It depends on the situation and the context.',
    'Different people may have different opinions about this.',
    'This is an important question for many people.',
  ],
};

/** In-domain words used as "related" substitutes when no synonym is known. */
export const DOMAIN_WORDS: Readonly<Record<string, readonly string[]>> = {
  arithmetic: ['number', 'sum', 'total', 'result', 'value', 'add', 'multiply', 'divide', 'equal', 'times', 'half', 'twice'],
  science: ['energy', 'cell', 'atom', 'force', 'light', 'heat', 'water', 'matter', 'process', 'reaction', 'planet', 'gas'],
  programming: ['function', 'variable', 'loop', 'list', 'string', 'value', 'return', 'code', 'array', 'object', 'class', 'input'],
  health: ['body', 'doctor', 'pain', 'blood', 'sleep', 'diet', 'exercise', 'heart', 'symptoms', 'health', 'treatment', 'muscle'],
  writing: ['story', 'words', 'reader', 'style', 'sentence', 'idea', 'feeling', 'poem', 'character', 'letter', 'tone', 'text'],
  geography: ['country', 'city', 'river', 'capital', 'region', 'mountain', 'border', 'coast', 'population', 'continent', 'island', 'north'],
  default: ['thing', 'way', 'part', 'case', 'idea', 'point', 'fact', 'kind', 'place', 'time', 'people', 'world'],
};

/** Unrelated common words: the "wrong word" substitutions. */
export const WRONG_WORDS: readonly string[] = [
  'banana', 'yesterday', 'blue', 'mountain', 'guitar', 'chair', 'quickly', 'window', 'river', 'purple',
  'football', 'holiday', 'garden', 'camera', 'orange', 'silver', 'village', 'jacket', 'coffee', 'rabbit',
  'table', 'summer', 'bottle', 'cloud', 'yellow', 'kitchen', 'ticket', 'pencil', 'island', 'dance',
];

/** Meaning-preserving rewordings (the experts' "phrasing"); looked up in lower case. */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  important: ['significant', 'crucial'], use: ['utilize', 'employ'], uses: ['utilizes'], used: ['utilized', 'employed'],
  help: ['assist', 'aid'], helps: ['assists'], big: ['large', 'huge'], large: ['big', 'huge'], small: ['little', 'tiny'],
  many: ['numerous', 'several'], make: ['create', 'produce'], makes: ['creates', 'produces'], get: ['obtain', 'receive'],
  show: ['demonstrate', 'display'], shows: ['demonstrates'], start: ['begin'], begin: ['start'], end: ['finish'],
  quick: ['fast', 'rapid'], fast: ['quick', 'rapid'], good: ['great', 'fine'], bad: ['poor'], very: ['really', 'extremely'],
  also: ['additionally', 'too'], because: ['since', 'as'], but: ['however', 'yet'], about: ['around', 'approximately'],
  often: ['frequently'], usually: ['typically', 'generally'], need: ['require'], needs: ['requires'], find: ['discover'],
  answer: ['solution', 'result'], result: ['outcome', 'answer'], problem: ['issue'], example: ['instance'],
  different: ['various', 'distinct'], easy: ['simple'], simple: ['easy', 'basic'], hard: ['difficult'], people: ['individuals', 'persons'],
  increase: ['raise', 'boost'], reduce: ['lower', 'decrease'], keep: ['maintain'], choose: ['select', 'pick'], main: ['primary', 'key'],
  total: ['sum', 'overall'], each: ['every'], so: ['therefore', 'thus'], then: ['next', 'afterwards'], first: ['initially'],
  method: ['approach', 'technique'], way: ['method', 'manner'], function: ['routine', 'method'], returns: ['gives', 'yields'],
  create: ['make', 'build'], write: ['compose'], story: ['tale'], happy: ['glad', 'joyful'], doctor: ['physician'],
  healthy: ['fit', 'well'], risk: ['danger', 'chance'], water: ['fluid'], energy: ['power'], called: ['named', 'known as'],
};
