/**
 * "Did you mean …?" for unknown keys, events and placeholders: the candidate with the smallest
 * edit distance (insertions, deletions, substitutions and swaps of two neighbours, ignoring
 * case), offered only when it is close: at most a third of the longer word, and at least 1.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const word = input.toLowerCase();
  if (word === '') return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const limit = Math.max(1, Math.floor(Math.max(word.length, other.length) / 3));
    // The distance is at least the difference in length: skip without the quadratic work,
    // which also keeps a megabyte-long key from costing seconds.
    const gap = Math.abs(word.length - other.length);
    if (gap > limit || gap >= bestDistance) continue;
    const distance = editDistance(word, other);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus transposition of adjacent characters. */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current.push(value);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
