/**
 * Adaptive Card inputs arrive as strings: an untouched Input.Text sends "", Input.Toggle sends
 * "true"/"false", a multi-select Input.ChoiceSet sends "a,b". These helpers normalise such
 * values inside zod preprocess steps, and leave already-typed values alone so a parsed input
 * parses again to the same thing.
 */

export const blankAsUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const numberFromText = (value: unknown): unknown => {
  const blank = blankAsUndefined(value);
  return typeof blank === 'string' && /^\s*\d+\s*$/.test(blank) ? Number(blank) : blank;
};

export const booleanFromText = (value: unknown): unknown => {
  const blank = blankAsUndefined(value);
  if (blank === 'true') return true;
  if (blank === 'false') return false;
  return blank;
};

/** "a, b,,c" → ["a", "b", "c"]; arrays pass through; blank → []. */
export const listFromText = (value: unknown): unknown => {
  const blank = blankAsUndefined(value);
  if (blank === undefined) return [];
  if (typeof blank === 'string') return blank.split(',').map((part) => part.trim()).filter(Boolean);
  return blank;
};
