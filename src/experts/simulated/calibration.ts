// Placeholder until scripts/calibrate-simulated.ts has been run: every expert at fidelity 1.
export const SIMULATED_CALIBRATION = {
  seeds: [42] as readonly number[],
  scorer: 'uncalibrated',
  dataset: 'none',
  questions: 0,
  fidelity: {} as Readonly<Record<string, number>>,
  fittedMean: {} as Readonly<Record<string, number>>,
};
