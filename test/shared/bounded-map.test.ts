import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/shared/bounded-map.js';

describe('BoundedMap', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [index, key] of ['a', 'b', 'c'].entries()) map.set(key, index);
    expect(map.get('a')).toBe(0); // a is now the most recent
    map.set('d', 3);
    expect([map.has('a'), map.has('b'), map.has('c'), map.has('d')]).toEqual([true, false, true, true]);
    expect(map.size).toBe(3);
  });

  it('stays at its capacity however many keys pass through', () => {
    const map = new BoundedMap<number, number>(100);
    for (let key = 0; key < 50_000; key += 1) map.set(key, key);
    expect(map.size).toBe(100);
    expect(map.has(49_999) && !map.has(49_899)).toBe(true);
  });

  it.each([[0], [-1], [1.5]])('refuses capacity %d', (capacity) => {
    expect(() => new BoundedMap(capacity)).toThrow('positive integer');
  });
});
