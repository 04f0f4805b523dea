// Words any part of the tool may use, about nothing in particular: this folder is the leaf
// that config/, mkp/, report/ and the shells all import, and it imports nothing of theirs.

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** An error as one sentence for people; never a stack trace. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
