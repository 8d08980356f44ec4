// No false failures from legal behaviour [D-CONFORM]: the reference server seen through a proxy that
// re-cuts both byte streams into pieces of 1 to 7 bytes (as a real network may cut them, [IM-FRAME-3],
// [CHAT-LINE-1]) still passes every check. Left out: the checks that move tens of MiB (the slow reader)
// or wait on time (the idle timeout), which would take minutes through 7-byte pieces.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startResegmentingProxy } from '../../test-support/doubles/resegmenting-proxy.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { checksOf } from '../catalogue/catalogue.js';
import { explain, outcomes, runAgainst } from './support.js';

/** Small enough for the body-limit checks to cross the proxy in a moment. */
const MAX_BODY = 64 * 1024;
const SLOW = new Set(['im.conn.slow-reader', 'im.conn.idle-timeout']);

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ logLevel: 'error', maxBodyBytes: MAX_BODY }); });
afterAll(async () => { await server.close(); });

describe('legal behaviour never fails a check', () => {
  for (const protocol of ['im', 'chat'] as const) {
    test(`${protocol}: every check passes through a re-segmenting proxy`, async () => {
      const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: protocol === 'im' ? server.imPort : server.chatPort }, maxPiece: 7, seed: 5 });
      try {
        const checks = checksOf(protocol).filter((c) => !SLOW.has(c.id));
        const run = await runAgainst({ port: proxy.port, protocol, profile: { maxBodyBytes: MAX_BODY } }, checks, { runs: 5 });
        expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'PASS'])));
        // The streams really were cut up.
        expect(proxy.stats.targetToClient.pieces).toBeGreaterThan(proxy.stats.targetToClient.bytes / 7);
      } finally {
        await proxy.close();
      }
    }, 120_000);
  }
});
