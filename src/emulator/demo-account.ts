/**
 * The account of `npm run demo`, `npm run emulator` and `mkp-webhooks-sync emulator --seed
 * demo`: one webhook that the example webhooks.yaml declares, and one made by hand in the manage
 * portal that it does not.
 */
export const DEMO_ACCOUNT = [
  { type: 'customer-created', url: 'https://hooks.example.com/mkp/crm' },
  { type: 'ticket-created', url: 'https://legacy.example.org/tickets' },
];

/** The value of `${BILLING_HOOK_URL}` in the example file. */
export const BILLING_HOOK_URL = 'https://billing.example.com/hooks/mkp?tenant=demo';
