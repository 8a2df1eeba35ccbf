// Where `npm run train` puts the agent's weights next to its run file, and where `npm run eval`
// looks for them: run.jsonl → run.weights.json.
export function weightsPathForRun(runFile: string): string {
  return runFile.replace(/\.jsonl?$/i, '') + '.weights.json';
}
