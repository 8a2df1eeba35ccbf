// Published numbers to compare an evaluation with: LLM-Blender's table on the MixInstruct test
// set (BERTScore ×100), as quoted in the project's der-reference notes. They were NOT measured by
// this workbench; reports show them as reference rows, labelled as published.

export interface PublishedRow {
  method: string;
  /** BERTScore ×100 as published. */
  bertScoreX100: number;
  /**
   * Expert parameters per question in billions, derived from the pool sizes (not published):
   * a single expert's size; 117 for methods that call all 11 experts (their ranker/fuser models
   * are not counted); the pool mean for a random pick.
   */
  paramsB: number | null;
  note?: string;
}

export const PUBLISHED_SOURCE = 'LLM-Blender (Jiang et al., 2023), MixInstruct test set, BERTScore ×100; published, not measured here';

const ALL_ELEVEN_B = 117;

export const PUBLISHED_MIXINSTRUCT: readonly PublishedRow[] = [
  { method: 'Open Assistant (12B)', bertScoreX100: 74.68, paramsB: 12 },
  { method: 'Alpaca (13B)', bertScoreX100: 71.46, paramsB: 13 },
  { method: 'ChatGLM (6B)', bertScoreX100: 70.38, paramsB: 6 },
  { method: 'Vicuna (13B)', bertScoreX100: 69.6, paramsB: 13 },
  { method: 'Baize (13B)', bertScoreX100: 65.57, paramsB: 13 },
  { method: 'Flan-T5 (11B)', bertScoreX100: 64.92, paramsB: 11 },
  { method: 'MOSS (16B)', bertScoreX100: 64.85, paramsB: 16 },
  { method: 'Koala (7B)', bertScoreX100: 63.96, paramsB: 7 },
  { method: 'Mosaic MPT (7B)', bertScoreX100: 63.21, paramsB: 7 },
  { method: 'StableLM (7B)', bertScoreX100: 62.47, paramsB: 7 },
  { method: 'Dolly V2 (12B)', bertScoreX100: 62.26, paramsB: 12 },
  { method: 'Random pick', bertScoreX100: 66.36, paramsB: Math.round((ALL_ELEVEN_B / 11) * 100) / 100, note: 'mean expert size' },
  { method: 'PairRanker', bertScoreX100: 72.97, paramsB: ALL_ELEVEN_B, note: 'all 11 experts + ranker (ranker not counted)' },
  { method: 'Oracle pick by BERTScore', bertScoreX100: 77.67, paramsB: ALL_ELEVEN_B, note: 'all 11 experts' },
  { method: 'LLM-Blender (PairRanker top-3 + GenFuser)', bertScoreX100: 79.09, paramsB: ALL_ELEVEN_B, note: 'all 11 experts + ranker + fuser (not counted)' },
];
