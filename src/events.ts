/**
 * The 23 MijnKlantportaal event types, in the order of the API reference. This list is the one
 * source of truth: the JSON Schema, the EventType type, suggestions and docs all derive from it.
 * test/events.test.ts checks it against spec/mijnklantportaal/openapi.yaml.
 */
export const EVENT_TYPES = [
  'appointment-created',
  'appointment-canceled',
  'customer-created',
  'customer-deleted',
  'offer-created',
  'offer-deleted',
  'offer-accepted',
  'offer-rejected',
  'invoice-created',
  'invoice-chargeback',
  'invoice-paid',
  'invoice-deleted',
  'payment-link-created',
  'payment-link-expired',
  'payment-link-paid',
  'ticket-created',
  'ticket-reply-customer',
  'ticket-reply-employee',
  'subscription-created',
  'subscription-updated',
  'subscription-deleted',
  'subscription-payment-created',
  'subscription-payment-updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const known: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && known.has(value);
}

/** `customer-created` -> `CUSTOMER_CREATED`, the form used in secret names. */
export function upperSnake(value: string): string {
  return value.toUpperCase().replace(/-/g, '_');
}
