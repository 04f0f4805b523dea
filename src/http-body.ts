// An answer's body read within a cap, for both clients: the MijnKlantportaal HTTP layer
// (mkp/http.ts) and the fetch under Octokit (github/wire.ts). CONTRACT §4 refuses every answer
// over 1 MiB unread, whichever service sent it, so the rule and its sentence live here once.

/** The most an answer of either service may be (CONTRACT §4): a page of webhooks is a few kB. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The body's bytes, or undefined when it is larger than `maxBytes`: a content-length past it is
 * not read at all, and a stream is cut as soon as it passes it. A read that breaks off throws
 * as it came (the caller tells a timeout from a reset).
 */
export async function readCapped(
  response: Response,
  maxBytes = MAX_ANSWER_BYTES,
): Promise<Buffer | undefined> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The one sentence for an answer past its cap: `who` answered, and `hint` says what to check.
 * "the API answered 200 with a body over 1 MiB, refused unread (check api-url)"
 */
export function overCap(who: string, status: number, maxBytes: number, hint: string): string {
  return `${who} answered ${status} with a body over ${size(maxBytes)}, refused unread (${hint})`;
}

function size(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}
