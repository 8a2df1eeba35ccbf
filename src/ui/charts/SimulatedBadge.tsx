// The visible "SIMULATED" label: shown wherever results come from the built-in simulated pool,
// so a screenshot can never pass simulated numbers off as real LLM results.
export function SimulatedBadge({ simulated }: { simulated: boolean }) {
  if (!simulated) return null;
  return (
    <span className="sim-badge" title="These results come from the built-in simulated expert pool, not real LLMs.">
      SIMULATED
    </span>
  );
}
