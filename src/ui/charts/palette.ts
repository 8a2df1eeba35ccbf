// Colours for experts (stable by index) and for the series that recur across charts.
const EXPERT_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#8c564b'];

export function expertColor(index: number): string {
  return EXPERT_COLORS[index % EXPERT_COLORS.length];
}

export const SERIES = {
  return: '#2b6cb0',
  raw: '#90b4de',
  score: '#2f855a',
  cost: '#c05621',
  whatIf: '#b83280',
} as const;
