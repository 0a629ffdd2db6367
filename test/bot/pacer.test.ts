import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/bot/pacer.js';

/** A pacer on a fake clock: sleeping moves the clock, so the test never waits. */
function fakePacer() {
  let now = 0;
  const slept: number[] = [];
  const pacer = new Pacer(() => now, async (ms) => { slept.push(ms); now += ms; }, [{ count: 2, ms: 1_000 }], [{ count: 3, ms: 1_000 }]);
  return { pacer, slept, at: () => now };
}

describe('Pacer: waits for a slot in the conversation’s and the app’s limits', () => {
  it('lets a conversation’s first sends go at once, then waits for its window', async () => {
    const { pacer, slept } = fakePacer();
    expect([await pacer.wait('c1'), await pacer.wait('c1'), await pacer.wait('c1')]).toEqual([0, 0, 1_000]);
    expect(slept).toEqual([1_000]);
  });

  it('another conversation is not held up by the first, until the app-wide limit binds', async () => {
    const { pacer } = fakePacer();
    expect([await pacer.wait('c1'), await pacer.wait('c1'), await pacer.wait('c2'), await pacer.wait('c3')]).toEqual([0, 0, 0, 1_000]);
  });

  it('concurrent callers each reserve their own slot rather than all going at once', async () => {
    let now = 0;
    const pacer = new Pacer(() => now, async () => {}, [{ count: 1, ms: 1_000 }], [{ count: 100, ms: 1_000 }]);
    const waits = await Promise.all([pacer.wait('c1'), pacer.wait('c1'), pacer.wait('c1')]);
    expect(waits).toEqual([0, 1_000, 2_000]);
    now = 5_000;
    expect(await pacer.wait('c1')).toBe(0);
  });
});
