import { describe, expect, it } from '@jest/globals';
import { EVENT_TYPES } from '../src/events.js';
import { closest, editDistance } from '../src/config/suggest.js';

const KEYS = ['name', 'url', 'event', 'events', 'secret'];

describe('closest', () => {
  it.each([
    ['evnts', KEYS, 'events'],
    ['nmae', KEYS, 'name'],
    ['URL', KEYS, 'url'],
    ['ur', KEYS, 'url'],
    ['secrets', KEYS, 'secret'],
    ['webhook', ['version', 'webhooks'], 'webhooks'],
    ['customer-create', EVENT_TYPES, 'customer-created'],
    ['invoice-payed', EVENT_TYPES, 'invoice-paid'],
    ['INVOICE_CREATED', EVENT_TYPES, 'invoice-created'],
    ['appointment-cancelled', EVENT_TYPES, 'appointment-canceled'],
    ['ticket-reply-custmer', EVENT_TYPES, 'ticket-reply-customer'],
  ])('suggests %s -> %s', (input, candidates, expected) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it.each([
    ['headers', KEYS],
    ['x', KEYS],
    ['', KEYS],
    ['refund-issued', EVENT_TYPES],
    ['customer', EVENT_TYPES],
  ])('offers nothing for %s, which is not close to any', (input, candidates) => {
    expect(closest(input, candidates)).toBeUndefined();
  });

  it('prefers the nearest candidate, and the first of equally near ones', () => {
    expect(closest('event', KEYS)).toBe('event');
    expect(closest('evnets', KEYS)).toBe('events');
    expect(closest('evens', KEYS)).toBe('event');
    expect(closest('ab', ['ax', 'xb'])).toBe('ax');
  });

  it('offers nothing for a very long input (how fast: npm run bench)', () => {
    expect(closest('x'.repeat(1_000_000), EVENT_TYPES)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['nmae', 'name', 1],
    ['evnts', 'events', 1],
    ['payed', 'paid', 2],
  ])('%s -> %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
