import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareJson, stringifyJson } from '../../src/shared/prepared-json.js';

describe('prepared JSON (the shared poll card\'s parts, serialised once)', () => {
  it('gives exactly the text JSON.stringify gives, whichever parts were prepared', () => {
    const part = fc.oneof(fc.jsonValue(), fc.constantFrom(undefined, Number.NaN, -0, new Date(0)));
    fc.assert(fc.property(fc.array(part, { maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 6 }), fc.string(), (parts, prepare, note) => {
      const copies = parts.map((value) => (typeof value === 'object' && value !== null && !(value instanceof Date) ? structuredClone(value) : value));
      copies.forEach((value, index) => {
        if (prepare[index] && typeof value === 'object' && value !== null && !(value instanceof Date)) prepareJson(value);
      });
      const reply = { statusCode: 200, value: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: note }, ...copies], skipped: undefined, parts: copies } };
      expect(stringifyJson(reply)).toBe(JSON.stringify(reply));
    }));
  });

  it('freezes what it prepared, so the prepared text can never describe an older version of it', () => {
    const card = prepareJson({ body: [{ type: 'TextBlock', text: 'Trust A: support' }] });
    expect(() => {
      (card.body[0] as { text: string }).text = 'Trust A: object';
    }).toThrow(TypeError);
    expect(stringifyJson(card)).toBe('{"body":[{"type":"TextBlock","text":"Trust A: support"}]}');
  });
});
