import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { EVENT_TYPES, upperSnake } from '../src/events.js';

const openapi = parse(readFileSync('spec/mijnklantportaal/openapi.yaml', 'utf8'));

describe('the event list', () => {
  it('is exactly the EventType enum of the documented API, in its order', () => {
    expect([...EVENT_TYPES]).toEqual(openapi.components.schemas.EventType.enum);
  });

  it('has the 23 documented types', () => {
    expect(EVENT_TYPES).toHaveLength(23);
  });

  it('writes event types in UPPER_SNAKE for secret names', () => {
    expect(upperSnake('customer-created')).toBe('CUSTOMER_CREATED');
    expect(upperSnake('subscription-payment-updated')).toBe('SUBSCRIPTION_PAYMENT_UPDATED');
  });
});
