import { describe, expect, it } from 'vitest';
import { throttleKey } from '../../src/services/keys.js';

/** Failed key attempts are counted per IPv4 address and per IPv6 /64 (one client holds a whole /64). */
describe('throttle key', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:0:1:aaaa:bbbb:cccc:1', '2001:db8:0:1::/64'],
    ['2001:db8:0:1::2', '2001:db8:0:1::/64'],
    ['2001:0DB8:0000:0001:ffff::9', '2001:db8:0:1::/64'],
    ['::1', '0:0:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(throttleKey(address)).toBe(key);
  });
});
