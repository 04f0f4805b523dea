import { describe, expect, it } from '@jest/globals';
import { RecordingLog } from '../src/log.js';
import { Scrubber, scrubbingLog } from '../src/scrub.js';

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

  it('scrubs every message of a log, and masks each line of what it is told to mask', () => {
    const scrubber = new Scrubber();
    const inner = new RecordingLog();
    const log = scrubbingLog(scrubber, inner);
    log.mask('first-line\nsecond-line');
    log.info('saw first-line');
    log.warning('saw second-line');
    log.error('the API said: second-line is wrong');
    expect(inner.masked).toEqual(['first-line', 'second-line']);
    expect(inner.lines).toEqual([
      'info: saw ***',
      'warning: saw ***',
      'error: the API said: *** is wrong',
    ]);
  });
});
