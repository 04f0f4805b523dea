import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Subscription } from '../src/config/types.js';
import { EVENT_TYPES, type EventType } from '../src/events.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { subscriptionKey } from '../src/matching.js';
import { hasDrift, makePlan } from '../src/plan.js';

const at = { file: 'webhooks.yaml', line: 1, column: 1 };
const sub = (event: EventType, url: string, name: string | null = null): Subscription => ({
  name,
  event,
  url,
  secretName: `S_${event}_${url.length}`.toUpperCase().replace(/-/g, '_'),
  position: at,
});
let ids = 0;
const rec = (type: string, url: string): RemoteWebhook => ({
  id: `wbh_${++ids}`,
  type,
  url,
});

describe('makePlan (CONTRACT §2)', () => {
  it('sorts declared subscriptions into create and unchanged, and the rest into unmanaged', () => {
    const crm = sub('customer-created', 'https://hooks.example.com/crm');
    const billing = sub('invoice-paid', 'https://hooks.example.com/billing');
    const present = rec('customer-created', 'https://hooks.example.com/crm');
    const stray = rec('ticket-created', 'https://other.example.com/t');
    const plan = makePlan([crm, billing], [present, stray]);
    expect(plan.create).toEqual([billing]);
    expect(plan.unchanged).toEqual([{ subscription: crm, remote: present }]);
    expect(plan.unmanaged).toEqual([stray]);
    expect(plan.duplicates).toEqual([]);
    expect(hasDrift(plan)).toBe(true);
  });

  it('matches URLs after WHATWG parsing: case of scheme and host, default port, dot segments', () => {
    const declared = sub('invoice-paid', 'https://hooks.example.com/a/b');
    const remote = rec('invoice-paid', 'HTTPS://Hooks.Example.COM:443/a/x/../b');
    const plan = makePlan([declared], [remote]);
    expect(plan.unchanged).toHaveLength(1);
    expect(plan.create).toHaveLength(0);
    expect(hasDrift(plan)).toBe(false);
  });

  it('normalises nothing else: path case, trailing slash, query order and event all matter', () => {
    const remote = [
      rec('invoice-paid', 'https://hooks.example.com/A'),
      rec('invoice-paid', 'https://hooks.example.com/a/'),
      rec('invoice-paid', 'https://hooks.example.com/a?y=2&x=1'),
      rec('invoice-created', 'https://hooks.example.com/a'),
    ];
    const plan = makePlan(
      [
        sub('invoice-paid', 'https://hooks.example.com/a'),
        sub('invoice-paid', 'https://hooks.example.com/a?x=1&y=2'),
      ],
      remote,
    );
    expect(plan.create).toHaveLength(2);
    expect(plan.unmanaged).toEqual(remote);
  });

  it('reports every record of a duplicate group, and matches the first of them', () => {
    const first = rec('customer-created', 'https://hooks.example.com/crm');
    const second = rec('customer-created', 'https://HOOKS.example.com/crm');
    const undeclaredA = rec('offer-created', 'https://x.example.com/');
    const undeclaredB = rec('offer-created', 'https://x.example.com');
    const declared = sub('customer-created', 'https://hooks.example.com/crm');
    const plan = makePlan([declared], [first, undeclaredA, second, undeclaredB]);
    expect(plan.unchanged).toEqual([{ subscription: declared, remote: first }]);
    expect(plan.duplicates).toEqual([
      [first, second],
      [undeclaredA, undeclaredB],
    ]);
    // Extra copies of a declared pair are duplicates, not unmanaged; undeclared ones are both.
    expect(plan.unmanaged).toEqual([undeclaredA, undeclaredB]);
  });

  it('leaves a remote record with an unparseable URL unmanaged instead of failing', () => {
    const broken = rec('invoice-paid', 'not a url');
    const plan = makePlan([sub('invoice-paid', 'https://a.example.com/')], [broken]);
    expect(plan.unmanaged).toEqual([broken]);
    expect(plan.create).toHaveLength(1);
  });

  it('has no drift when everything declared exists and nothing else does', () => {
    const a = sub('invoice-paid', 'https://a.example.com/');
    const plan = makePlan([a], [rec('invoice-paid', 'https://a.example.com/')]);
    expect(hasDrift(plan)).toBe(false);
  });
});

describe('makePlan properties', () => {
  const host = fc.constantFrom('a.example.com', 'B.example.com', 'c.example.net');
  const path = fc.constantFrom('/', '/x', '/x/../y', '/y', '/Z');
  const url = fc
    .tuple(fc.constantFrom('https', 'HTTPS'), host, fc.constantFrom('', ':443'), path)
    .map(([scheme, h, port, p]) => `${scheme}://${h}${port}${p}`);
  const event = fc.constantFrom(...EVENT_TYPES.slice(0, 4));
  const declared = fc
    .uniqueArray(fc.tuple(event, url), {
      selector: ([e, u]) => subscriptionKey(e, u),
      maxLength: 12,
    })
    .map((pairs) => pairs.map(([e, u]) => sub(e, u)));
  const remote = fc
    .array(fc.tuple(event, url), { maxLength: 15 })
    .map((pairs) => pairs.map(([e, u]) => rec(e, u)));

  it('puts every declared subscription in exactly one of create and unchanged, in file order', () => {
    fc.assert(
      fc.property(declared, remote, (desired, records) => {
        const plan = makePlan(desired, records);
        const sorted = [...plan.create, ...plan.unchanged.map((u) => u.subscription)];
        expect(sorted).toHaveLength(desired.length);
        expect(new Set(sorted)).toEqual(new Set(desired));
        const order = (list: Subscription[]) => list.map((s) => desired.indexOf(s));
        expect(order(plan.create)).toEqual([...order(plan.create)].sort((a, b) => a - b));
      }),
    );
  });

  it('creates exactly the declared pairs that no record has, and matches each to its first record', () => {
    fc.assert(
      fc.property(declared, remote, (desired, records) => {
        const plan = makePlan(desired, records);
        const keys = new Set(records.map((r) => subscriptionKey(r.type, r.url)));
        for (const s of plan.create) expect(keys.has(subscriptionKey(s.event, s.url))).toBe(false);
        for (const { subscription, remote: r } of plan.unchanged) {
          const key = subscriptionKey(subscription.event, subscription.url);
          expect(r).toBe(records.find((x) => subscriptionKey(x.type, x.url) === key));
        }
      }),
    );
  });

  it('reports as unmanaged exactly the records no declaration matches, and as duplicates exactly the shared keys', () => {
    fc.assert(
      fc.property(declared, remote, (desired, records) => {
        const plan = makePlan(desired, records);
        const wanted = new Set(desired.map((s) => subscriptionKey(s.event, s.url)));
        const key = (r: RemoteWebhook) => subscriptionKey(r.type, r.url);
        expect(plan.unmanaged).toEqual(records.filter((r) => !wanted.has(key(r))));
        const counts = new Map<string, number>();
        for (const r of records) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
        // One group per shared key, in order of first appearance, each in account order.
        const shared = [...new Set(records.map(key))].filter((k) => counts.get(k)! > 1);
        expect(plan.duplicates).toEqual(shared.map((k) => records.filter((r) => key(r) === k)));
      }),
    );
  });

  it('is idempotent: after creating the plan, the next plan creates nothing', () => {
    fc.assert(
      fc.property(declared, remote, (desired, records) => {
        const first = makePlan(desired, records);
        const after = [...records, ...first.create.map((s) => rec(s.event, s.url))];
        const second = makePlan(desired, after);
        expect(second.create).toEqual([]);
        expect(second.unmanaged).toEqual(first.unmanaged);
      }),
    );
  });
});
