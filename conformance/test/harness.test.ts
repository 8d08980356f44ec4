import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { IM_FRAME_CHECKS } from '../checks/im-frame.js';
import { explain, outcomes, runAgainst } from './support.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ logLevel: 'warn' }); });
afterAll(async () => { await server.close(); });

describe('the harness against the reference server', () => {
  test('the framing checks pass', async () => {
    const run = await runAgainst({ port: server.imPort, protocol: 'im' }, IM_FRAME_CHECKS);
    expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(IM_FRAME_CHECKS.map((c) => [c.id, 'PASS'])));
    expect(run.connectionsOpened).toBeGreaterThan(0);
  });
});
