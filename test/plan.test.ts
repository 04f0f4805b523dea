import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Subscription } from '../src/config/types.js';
import { EVENT_TYPES, type EventType } from '../src/events.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { subscriptionKey } from '../src/matching.js';
import { hasDrift, keptFirst, makePlan } from '../src/plan.js';

const at = { file: 'webhooks.yaml', line: 1, column: 1 };
const sub = (event: EventType, url: string, name: string | null = null): Subscription => ({
  name,
  event,
  url,
  secretName: `S_${event}_${url.length}`.toUpperCase().replace(/-/g, '_'),
  position: at,
});
let ids = 0;
const rec = (type: string, url: string, createdAt?: string): RemoteWebhook => ({
  id: `wbh_${++ids}`,
  type,
  url,
  ...(createdAt === undefined ? {} : { createdAt }),
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

  it('reports every record of a duplicate group, and matches the oldest of them', () => {
    const newer = rec('customer-created', 'https://hooks.example.com/crm', '2026-12-02T10:00:00Z');
    const older = rec('customer-created', 'https://HOOKS.example.com/crm', '2026-12-01T10:00:00Z');
    const undeclaredA = rec('offer-created', 'https://x.example.com/');
    const undeclaredB = rec('offer-created', 'https://x.example.com');
    const declared = sub('customer-created', 'https://hooks.example.com/crm');
    const plan = makePlan([declared], [newer, undeclaredA, older, undeclaredB]);
    // Whatever the API's order: the oldest record is matched, and leads its group.
    expect(plan.unchanged).toEqual([{ subscription: declared, remote: older }]);
    expect(plan.duplicates).toEqual([
      [older, newer],
      [undeclaredA, undeclaredB],
    ]);
    // Extra copies of a declared pair are duplicates, not unmanaged; undeclared ones are both.
    expect(plan.unmanaged).toEqual([undeclaredA, undeclaredB]);
    // The same plan from the API's reverse order.
    const reversed = makePlan([declared], [undeclaredB, older, undeclaredA, newer]);
    expect(reversed.unchanged[0]!.remote).toBe(older);
  });

  it('orders a duplicate group by createdAt (an offset-less time is UTC), then id as code units, records without createdAt last', () => {
    const url = 'https://hooks.example.com/crm';
    const r = (id: string, createdAt?: string): RemoteWebhook => ({
      id,
      type: 'customer-created',
      url,
      ...(createdAt === undefined ? {} : { createdAt }),
    });
    const group = [
      r('wbh_a'),
      r('wbh_9', '2026-12-01T10:00:00+00:00'),
      r('wbh_10', '2026-12-01 10:00:00'), // the same moment, read as UTC: the id decides
      r('wbh_0', '2026-12-01T10:30:00+01:00'), // 09:30 UTC: the oldest
      r('wbh_B'),
      r('wbh_c', 'not a time'), // unreadable: as if absent
    ];
    expect([...group].sort(keptFirst).map((x) => x.id)).toEqual([
      'wbh_0',
      'wbh_10',
      'wbh_9',
      'wbh_B',
      'wbh_a',
      'wbh_c',
    ]);
    const plan = makePlan([sub('customer-created', url)], group);
    expect(plan.unchanged[0]!.remote.id).toBe('wbh_0');
    expect(plan.duplicates[0]!.map((x) => x.id)).toEqual([
      'wbh_0',
      'wbh_10',
      'wbh_9',
      'wbh_B',
      'wbh_a',
      'wbh_c',
    ]);
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
  // A few times, some offset-less, some absent, so that ties and gaps both occur; each with
  // the moment it stands for, written out by hand.
  const MOMENTS: Record<string, number> = {
    '2026-12-01T10:00:00Z': Date.UTC(2026, 11, 1, 10),
    '2026-12-01 10:00:00': Date.UTC(2026, 11, 1, 10),
    '2026-12-01T11:00:00+02:00': Date.UTC(2026, 11, 1, 9),
    '2026-11-30T23:59:59Z': Date.UTC(2026, 10, 30, 23, 59, 59),
  };
  const createdAt = fc.constantFrom(undefined, ...Object.keys(MOMENTS));
  const remote = fc
    .array(fc.tuple(event, url, createdAt), { maxLength: 15 })
    .map((triples) => triples.map(([e, u, c]) => rec(e, u, c)));
  /** The kept record of a group, by the rule written out again: oldest, then lowest id. */
  const oldest = (group: RemoteWebhook[]): RemoteWebhook =>
    group.reduce((best, r) => {
      const t = (x: RemoteWebhook) => (x.createdAt ? MOMENTS[x.createdAt]! : Infinity);
      if (t(r) !== t(best)) return t(r) < t(best) ? r : best;
      return r.id < best.id ? r : best;
    });

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

  it('creates exactly the declared pairs that no record has, and matches each to its oldest record', () => {
    fc.assert(
      fc.property(declared, remote, (desired, records) => {
        const plan = makePlan(desired, records);
        const keys = new Set(records.map((r) => subscriptionKey(r.type, r.url)));
        for (const s of plan.create) expect(keys.has(subscriptionKey(s.event, s.url))).toBe(false);
        for (const { subscription, remote: r } of plan.unchanged) {
          const key = subscriptionKey(subscription.event, subscription.url);
          expect(r).toBe(oldest(records.filter((x) => subscriptionKey(x.type, x.url) === key)));
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
        // One group per shared key, in order of first appearance, each oldest first.
        const shared = [...new Set(records.map(key))].filter((k) => counts.get(k)! > 1);
        expect(plan.duplicates.map((g) => new Set(g))).toEqual(
          shared.map((k) => new Set(records.filter((r) => key(r) === k))),
        );
        for (const group of plan.duplicates) expect(group[0]).toBe(oldest(group));
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
