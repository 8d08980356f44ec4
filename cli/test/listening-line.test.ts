// The lines `talkbench serve` prints for its listeners, byte for byte as the README shows them, and
// their one parser: scripts, benchmarks and tests read the ports the server picked from these lines.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { findListening, formatListening, parseListening, type Listener } from '../listening-line.js';

const at = { host: '127.0.0.1', port: 8999 };

describe('listening lines', () => {
  test.each<[Listener, string]>([
    [{ name: 'im', at, layout: 'le', maxBodyBytes: 16777216 }, 'im listening on 127.0.0.1:8999 (frames: le, max body 16777216 bytes)'],
    [{ name: 'chat', at: { host: '127.0.0.1', port: 3333 } }, 'chat listening on 127.0.0.1:3333 (CHAT/1.0; try: nc 127.0.0.1 3333, then type CHAT/1.0 LOGIN alice)'],
    [{ name: 'http', at: { host: '127.0.0.1', port: 8080 } }, 'http listening on http://127.0.0.1:8080/res/'],
  ])('%o prints %s, and parses back', (listener, line) => {
    expect(formatListening(listener)).toBe(line);
    expect(parseListening(line)).toEqual({ name: listener.name, ...listener.at });
  });

  test('an IPv6 host keeps its colons: the port is after the last one', () => {
    expect(parseListening(formatListening({ name: 'im', at: { host: '::1', port: 0x2327 }, layout: 'be', maxBodyBytes: 4096 })))
      .toEqual({ name: 'im', host: '::1', port: 8999 });
  });

  test('other lines are not listening lines', () => {
    for (const line of ['storage: memory (nothing is kept after exit)', 'listening 127.0.0.1:8999', ' im listening on 127.0.0.1:1', 'ftp listening on 127.0.0.1:21', '']) {
      expect(parseListening(line)).toBeNull();
    }
  });

  test('findListening picks the named listener among the lines', () => {
    const lines = [
      formatListening({ name: 'im', at: { host: '127.0.0.1', port: 40001 }, layout: 'le', maxBodyBytes: 1024 }),
      formatListening({ name: 'chat', at: { host: '127.0.0.1', port: 40002 } }),
      formatListening({ name: 'http', at: { host: '127.0.0.1', port: 40003 } }),
      'storage: memory (nothing is kept after exit)',
    ];
    expect([findListening(lines, 'im')?.port, findListening(lines, 'chat')?.port, findListening(lines, 'http')?.port]).toEqual([40001, 40002, 40003]);
    expect(findListening(lines.slice(1), 'im')).toBeNull();
  });

  const arbHost = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain());
  const arbListener: fc.Arbitrary<Listener> = fc.oneof(
    fc.record({ name: fc.constant('im' as const), at: fc.record({ host: arbHost, port: fc.nat(65535) }), layout: fc.constantFrom('le' as const, 'be' as const), maxBodyBytes: fc.nat() }),
    fc.record({ name: fc.constantFrom('chat' as const, 'http' as const), at: fc.record({ host: arbHost, port: fc.nat(65535) }) }),
  );
  test.prop([arbListener])('every line printed parses back to its listener', (listener) => {
    expect(parseListening(formatListening(listener))).toEqual({ name: listener.name, ...listener.at });
  });
});
