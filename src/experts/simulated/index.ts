// The built-in simulated expert pool (no network): public entry point.
export { createSimulatedPool, simulateAnswer, expertQuality, defaultFidelity, QUESTION_DIFFICULTY_SPREAD, QUALITY_OFFSET } from './simulatedPool';
export type { SimulatedPoolOptions } from './simulatedPool';
export { DEFAULT_SIMULATED_EXPERTS, SIMULATED_DOMAINS, domainCompetence } from './profiles';
export type { SimulatedExpertProfile, SimulatedStyle } from './profiles';
export { SIMULATED_CALIBRATION } from './calibration';
export { meanFirstAnswerScore, fitFidelity } from './calibrationFit';
export type { ScorePairs, FidelityFit } from './calibrationFit';
