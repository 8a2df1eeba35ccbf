// CartPole-v1 as Gymnasium defines it (Euler integration), with seeded resets. A generic RL task
// with known results, used to validate the PPO agent independently of DER's experts and rewards.
import { createRng, type Rng } from '../der/rng';

export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length. */
  length: 0.5,
  forceMag: 10.0,
  tau: 0.02,
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  maxEpisodeSteps: 500,
} as const;

export const CARTPOLE_STATE_DIM = 4;
export const CARTPOLE_ACTIONS = 2;

export interface CartPoleStep {
  observation: Float32Array;
  reward: number;
  /** The pole fell or the cart left the track. */
  terminated: boolean;
  /** The 500-step time limit was reached (not a failure: bootstrap from V). */
  truncated: boolean;
}

export class CartPole {
  private state = [0, 0, 0, 0]; // x, ẋ, θ, θ̇
  private steps = 0;
  private readonly rng: Rng;
  private done = true;

  private readonly maxEpisodeSteps: number;

  constructor(seed: number, options: { maxEpisodeSteps?: number } = {}) {
    this.rng = createRng(seed);
    this.maxEpisodeSteps = options.maxEpisodeSteps ?? CARTPOLE.maxEpisodeSteps;
  }

  reset(): Float32Array {
    this.state = this.state.map(() => (this.rng.next() * 2 - 1) * 0.05);
    this.steps = 0;
    this.done = false;
    return this.observation();
  }

  /** Start an episode from a given [x, ẋ, θ, θ̇] (tests, demos). */
  resetTo(state: readonly number[]): Float32Array {
    if (state.length !== 4) throw new Error(`CartPole state has 4 numbers [x, ẋ, θ, θ̇] (got ${state.length}).`);
    this.state = state.slice();
    this.steps = 0;
    this.done = false;
    return this.observation();
  }

  observation(): Float32Array {
    return Float32Array.from(this.state);
  }

  /** Action 0 pushes left, 1 pushes right. */
  step(action: number): CartPoleStep {
    if (this.done) throw new Error('CartPole.step called after the episode ended; call reset() first.');
    if (action !== 0 && action !== 1) throw new Error(`CartPole action must be 0 or 1 (got ${action}).`);
    const c = CARTPOLE;
    let [x, xDot, theta, thetaDot] = this.state;
    const force = action === 1 ? c.forceMag : -c.forceMag;
    const cosT = Math.cos(theta);
    const sinT = Math.sin(theta);
    const totalMass = c.massCart + c.massPole;
    const poleMassLength = c.massPole * c.length;
    const temp = (force + poleMassLength * thetaDot * thetaDot * sinT) / totalMass;
    const thetaAcc = (c.gravity * sinT - cosT * temp) / (c.length * (4 / 3 - (c.massPole * cosT * cosT) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cosT) / totalMass;
    x += c.tau * xDot;
    xDot += c.tau * xAcc;
    theta += c.tau * thetaDot;
    thetaDot += c.tau * thetaAcc;
    this.state = [x, xDot, theta, thetaDot];
    this.steps += 1;
    const terminated = x < -c.xThreshold || x > c.xThreshold || theta < -c.thetaThresholdRadians || theta > c.thetaThresholdRadians;
    const truncated = !terminated && this.steps >= this.maxEpisodeSteps;
    this.done = terminated || truncated;
    return { observation: this.observation(), reward: 1, terminated, truncated };
  }
}
