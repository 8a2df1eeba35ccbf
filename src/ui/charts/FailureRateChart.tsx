// "Expert failures": the share of expert calls and of episodes that failed, per iteration, and
// which experts failed. A flaky endpoint biases what the agent learns (its answers are missing
// from the failed steps), so the run shows it next to the reward curve instead of hiding it.
import { memo, useMemo } from 'react';
import type { IterationRecord } from '../../der/runRecord';
import { ChartCard, EmptyChart } from './ChartCard';
import { failureSeries } from './failureData';
import { Sparkline } from './Sparkline';

export interface FailureRateChartProps {
  iterations: readonly IterationRecord[];
  simulated: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 1)} %`;

export const FailureRateChart = memo(function FailureRateChart({ iterations, simulated }: FailureRateChartProps) {
  const series = useMemo(() => failureSeries(iterations), [iterations]);
  return (
    <ChartCard
      title="Expert failures"
      caption="Per iteration: the share of expert calls that failed after their retries, and of collected episodes that ended with a failed call. A failed episode is learned from up to the failure; one that failed at its first call is not. The run pauses itself when every expert keeps failing."
      simulated={simulated}
      testId="failure-chart"
      wide
    >
      {iterations.length === 0 ? (
        <EmptyChart text="No iteration yet." />
      ) : !series.any ? (
        <p className="chart-empty" data-testid="no-failures">
          No expert call failed in {iterations.length} iteration{iterations.length === 1 ? '' : 's'}.
        </p>
      ) : (
        <>
          <div className="small-multiples">
            <figure className="small-chart">
              <figcaption>
                <strong>failed calls</strong> <span>share of expert calls</span>
              </figcaption>
              <Sparkline rows={series.callRate} label="failed calls (share)" color="#c53030" />
            </figure>
            <figure className="small-chart">
              <figcaption>
                <strong>failed episodes</strong> <span>share of episodes collected</span>
              </figcaption>
              <Sparkline rows={series.episodeRate} label="failed episodes (share)" color="#dd6b20" />
            </figure>
          </div>
          <table className="failure-table" data-testid="failures-by-expert">
            <thead>
              <tr>
                <th>expert</th>
                <th>calls</th>
                <th>failed calls</th>
                <th>failed episodes</th>
              </tr>
            </thead>
            <tbody>
              {series.byExpert.map((e) => (
                <tr key={e.expert}>
                  <td>{e.expert}</td>
                  <td>{e.calls}</td>
                  <td>
                    {e.failedCalls} ({pct(e.calls > 0 ? e.failedCalls / e.calls : 0)})
                  </td>
                  <td>{e.failedEpisodes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ChartCard>
  );
});
