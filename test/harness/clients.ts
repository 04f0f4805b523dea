import type { Subscription } from '../../src/config/types.js';
import type { EventType } from '../../src/events.js';
import { connect, type MkpClient } from '../../src/mkp/client.js';
import type { Clock } from '../../src/clock.js';
import type { RateBudget } from '../../src/mkp/rate-gate.js';
import type { MkpEmulator } from '../../src/emulator/mkp.js';

/** A real client on a real emulator, with fast retries, recording what it masked. */
export interface TestClient {
  client: MkpClient;
  masked: string[];
  retries: string[];
}

export function clientFor(
  emulator: MkpEmulator,
  options: {
    token?: string;
    timeoutMs?: number;
    retryBaseMs?: number;
    budget?: RateBudget;
    signal?: AbortSignal;
    clock?: Clock;
  } = {},
): TestClient {
  const masked: string[] = [];
  const retries: string[] = [];
  const client = connect({
    apiUrl: emulator.baseUrl,
    token: options.token ?? emulator.token,
    tuning: {
      timeoutMs: options.timeoutMs ?? 2_000,
      retryBaseMs: options.retryBaseMs ?? 5,
      budget: options.budget ?? { limit: 60, windowMs: 60_000 },
    },
    mask: (secret) => masked.push(secret),
    onRetry: (message) => retries.push(message),
    signal: options.signal,
    clock: options.clock,
  });
  return { client, masked, retries };
}

/** A declared subscription without going through a file. */
export function subscription(
  event: EventType,
  url: string,
  name: string | null = null,
  secretName = `MKP_WEBHOOK_${name ? `${name.toUpperCase()}_` : ''}${event.toUpperCase().replace(/-/g, '_')}`,
): Subscription {
  return { name, event, url, secretName, position: { file: 'webhooks.yaml', line: 1, column: 1 } };
}
