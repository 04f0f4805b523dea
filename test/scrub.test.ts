import { describe, expect, it } from '@jest/globals';
import { Scrubber } from '../src/scrub.js';

describe('Scrubber: one implementation for everything shown (CONTRACT §4)', () => {
  it('cuts tokens, secrets and long ${VAR} values, the longest first', () => {
    const scrubber = new Scrubber();
    scrubber.add('tok');
    scrubber.add('tok-extended-secret');
    scrubber.add('T0/B0/xyzSECRET', 'variable');
    expect(scrubber.scrub('a tok-extended-secret b tok c T0/B0/xyzSECRET')).toBe(
      'a *** b *** c ***',
    );
  });

  it('does not mask a ${VAR} value shorter than 8 characters (it would blank the log)', () => {
    const scrubber = new Scrubber();
    expect(scrubber.add('v1', 'variable')).toEqual([]);
    expect(scrubber.add('example1', 'variable')).toEqual(['example1']);
    expect(scrubber.scrub('api v1 example1')).toBe('api v1 ***');
  });

  it('masks a multi-line value line by line, as the runner does', () => {
    const scrubber = new Scrubber();
    expect(scrubber.add('line-one\r\nline-two\n\n')).toEqual(['line-one', 'line-two']);
    expect(scrubber.scrub('x line-two y\nline-one')).toBe('x *** y\n***');
  });

  it('keeps ${VAR} values in machine output, never a secret', () => {
    const scrubber = new Scrubber();
    scrubber.add('whsec_abcdef');
    scrubber.add('hooks.internal-tenant.example', 'variable');
    expect(
      scrubber.scrubSecrets('{"url":"https://hooks.internal-tenant.example/","s":"whsec_abcdef"}'),
    ).toBe('{"url":"https://hooks.internal-tenant.example/","s":"***"}');
  });

  it('cuts a URL ${VAR} value in its host-and-path form too, however the API spells the rest (CONTRACT §4)', () => {
    const scrubber = new Scrubber();
    const lines = scrubber.add(
      'https://Billing.example.com/hooks/Tk-7f3e9a2b41?tenant=acme',
      'variable',
    );
    expect(lines).toEqual([
      'https://Billing.example.com/hooks/Tk-7f3e9a2b41?tenant=acme',
      'billing.example.com/hooks/Tk-7f3e9a2b41',
      'Billing.example.com/hooks/Tk-7f3e9a2b41',
    ]);
    expect(
      scrubber.scrub('stored as https://billing.example.com/hooks/Tk-7f3e9a2b41/?tenant=***'),
    ).toBe('stored as https://***/?tenant=***');
    // A value without a path is cut whole only: the host alone is no secret of its own.
    expect(new Scrubber().add('https://billing.example.com/', 'variable')).toEqual([
      'https://billing.example.com/',
    ]);
  });

  it('cuts a value in the escaped form a sink shows it in, too', () => {
    const scrubber = new Scrubber();
    scrubber.add('tok\u001bsecret');
    expect(scrubber.scrub('a tok\\x1bsecret b')).toBe('a *** b');
  });
});
