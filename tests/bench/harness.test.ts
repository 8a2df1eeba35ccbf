import { describe, expect, it } from 'vitest';
import { atLeast, atMost, formatTable, informational, median, meetsGoal, mergeResults, ratio, result, unavailable } from '../../scripts/bench/harness';

describe('bench harness', () => {
  it('median of odd and even counts, ignoring NaN', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 2, 8])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('ratio is NaN when the peer was not measured', () => {
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(30, Number.NaN)).toBeNaN();
    expect(ratio(30, 0)).toBeNaN();
  });

  it('met follows the goal direction, and is null when nothing was measured', () => {
    expect(meetsGoal(3, atMost(3, 'x'))).toBe(true);
    expect(meetsGoal(3.01, atMost(3, 'x'))).toBe(false);
    expect(meetsGoal(12, atLeast(12, 'x'))).toBe(true);
    expect(meetsGoal(11.9, atLeast(12, 'x'))).toBe(false);
    expect(meetsGoal(Number.NaN, atLeast(12, 'x'))).toBeNull();
    // An informational row (the USE-lite rollout) is never met or missed.
    expect(meetsGoal(78, informational('information'))).toBeNull();
    expect(result({ name: 'r', peer: 'none', goal: informational('information'), measured: '78/s', value: 78 })).toMatchObject({
      ratio: 78,
      met: null,
      goal: 'information',
    });
  });

  it('builds rows with the goal text and a rounded ratio; unavailable rows are not failures', () => {
    const row = result({ name: 'c', peer: 'p', goal: atLeast(5, '≥ 5×'), measured: 'm', value: 6.12345 });
    expect(row).toMatchObject({ name: 'c', peer: 'p', goal: '≥ 5×', ratio: 6.123, met: true });
    expect(unavailable('c', 'p', atLeast(5, '≥ 5×'), 'no torch')).toMatchObject({ ratio: null, met: null, note: 'no torch' });
  });

  it('merges a partial run into the previous rows by name, keeping order', () => {
    const old = [
      result({ name: 'a', peer: '', goal: atMost(1, ''), measured: 'old', value: 2 }),
      result({ name: 'b', peer: '', goal: atMost(1, ''), measured: 'old', value: 2 }),
    ];
    const fresh = [
      result({ name: 'b', peer: '', goal: atMost(1, ''), measured: 'new', value: 0.5 }),
      result({ name: 'c', peer: '', goal: atMost(1, ''), measured: 'new', value: 0.5 }),
    ];
    expect(mergeResults(old, fresh).map((r) => `${r.name}:${r.measured}`)).toEqual(['a:old', 'b:new', 'c:new']);
  });

  it('prints one table line per row, escaping pipes', () => {
    const table = formatTable([result({ name: 'a|b', peer: 'p', goal: atMost(3, '≤ 3'), measured: 'm', value: 4 })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('a\\|b');
    expect(lines[2]).toContain('| NO |');
  });
});
