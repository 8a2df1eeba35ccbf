// The public API of the pure DER core (no DOM, no tfjs, no network).
export * from './types';
export * from './config';
export * from './presets';
export * from './rng';
export type * from './runRecord';
export type * from './trajectory';
export * from './actions';
export * from './reward';
export * from './prompts';
export * from './episodes';
export * from './baselines';
export * from './runRecordIO';
export * from './rescore';
export * from './metrics';
