// The IM command checks judged both ways: the reference server must pass every one, and the double
// that behaves as the original does (docs/ORIGINALS.md) must fail, not error, exactly those whose
// requirements the original breaks, each verdict naming that requirement, in bounded time. A check
// that passed against both would check nothing the original gets wrong; one that errored would blame
// the suite's own bug on the server [D-CONFORM].
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOriginalImServer, type OriginalImServer } from '../../test-support/doubles/original-im-server.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { IM_COMMAND_CHECKS } from '../checks/im-commands.js';
import { explain, outcomes, runAgainst } from './support.js';

/** The checks the original fails, and the requirement id its verdict must name (docs/ORIGINALS.md says why). */
const ORIGINAL_BREAKS: Record<string, string> = {
  // "GetFriends for a user with no friends is answered with id 4"
  'im.reply.get-friends': 'IM-REPLY-1',
  // "The original never answers Heartbeat (20) or UpdateUserInfo (12)"
  'im.reply.update-user-info': 'IM-REPLY-1',
  'im.reply.heartbeat': 'IM-REPLY-1',
  // The originals set no limits.
  'im.register.invalid-field': 'IM-REG-2',
  // Status 6 from a client is stored and pushed.
  'im.notice.invalid-status': 'IM-NOTICE-3',
  // The double trusts identity fields: a request acts for the UserID it names, logged in or not.
  'im.auth.before-login': 'IM-AUTH-1',
  'im.auth.logout-before-login': 'IM-AUTH-1',
  'im.chat.sender-not-forged': 'IM-AUTH-2',
  'im.friends.identity-ignored': 'IM-AUTH-2',
  'im.file.list-private': 'IM-AUTH-2',
  // "Friend chat is pushed to the receiver", friend or not.
  'im.chat.non-friend': 'IM-CHAT-2',
  // "chat to an offline user is dropped"
  'im.chat.offline-stored': 'IM-CHAT-3',
  // The requester's own UserID in the list is skipped, the rest added.
  'im.friends.invalid-list': 'IM-FRIENDS-2',
  // Its HTTP server answers GET only: HEAD is a 404.
  'im.file.upload-download': 'IM-FILE-3',
  // ToUserID is not looked up.
  'im.file.unknown-recipient': 'IM-FILE-1',
};

const ids = IM_COMMAND_CHECKS.map((c) => c.id);

/** A loopback port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('the IM command checks', () => {
  test('ids are unique, im.<area>.<name>, and name the requirements they cover', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of IM_COMMAND_CHECKS) {
      expect(check.id).toMatch(/^im\.[a-z]+\.[a-z-]+$/);
      expect(check.requirements.length).toBeGreaterThan(0);
      expect(['MUST', 'SHOULD']).toContain(check.level);
    }
    for (const area of ['reply', 'register', 'login', 'logout', 'notice', 'auth', 'chat', 'friends', 'file']) {
      expect(ids.some((id) => id.startsWith(`im.${area}.`)), area).toBe(true);
    }
    // [D-LEVELS]: replies 12 and 20, offline chats stored and refusals before login are SHOULD.
    const should = IM_COMMAND_CHECKS.filter((c) => c.level === 'SHOULD').map((c) => c.id).sort();
    expect(should).toEqual(['im.auth.before-login', 'im.auth.logout-before-login', 'im.chat.offline-stored', 'im.reply.heartbeat', 'im.reply.update-user-info']);
  });

  describe('against the reference server', () => {
    let server: TestServer;
    beforeAll(async () => { server = await startTestServer({ logLevel: 'warn' }); });
    afterAll(async () => { await server.close(); });

    test('every check passes', async () => {
      const started = performance.now();
      const run = await runAgainst({ port: server.imPort, protocol: 'im' }, IM_COMMAND_CHECKS);
      const elapsedMs = performance.now() - started;
      expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(ids.map((id) => [id, 'PASS'])));
      expect(run.stoppedAfter).toBeNull();
      expect(elapsedMs).toBeLessThan(20_000);
    });

    test('downloads go to the profile\'s httpBase when it is set', async () => {
      const checks = IM_COMMAND_CHECKS.filter((c) => c.id === 'im.file.upload-download' || c.id === 'im.file.name-not-path');
      const right = await runAgainst({ port: server.imPort, protocol: 'im', profile: { httpBase: `http://127.0.0.1:${server.httpPort}/` } }, checks);
      expect(outcomes(right), explain(right)).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'PASS'])));
      const wrong = await runAgainst({ port: server.imPort, protocol: 'im', profile: { httpBase: `http://127.0.0.1:${await closedPort()}` } }, checks);
      for (const r of wrong.results) {
        expect(r.outcome, r.id).toBe('FAIL');
        expect(r.got ?? '', r.id).toMatch(/ECONNREFUSED/);
      }
    });
  });

  describe('against the double of the original', () => {
    let original: OriginalImServer;
    beforeAll(async () => { original = await startOriginalImServer(); });
    afterAll(async () => { await original.close(); });

    test('the checks of the requirements it breaks fail, naming them; the others pass; none errors', async () => {
      const started = performance.now();
      const run = await runAgainst({ port: original.port, protocol: 'im' }, IM_COMMAND_CHECKS);
      const elapsedMs = performance.now() - started;
      const byId = new Map(run.results.map((r) => [r.id, r]));
      for (const [id, requirement] of Object.entries(ORIGINAL_BREAKS)) {
        const result = byId.get(id);
        expect(result, id).toBeDefined();
        expect(['FAIL', 'TIMEOUT'], `${id}: ${explain(run)}`).toContain(result!.outcome);
        expect(result!.expected ?? '', id).toContain(requirement);
        expect(result!.requirements, id).toContain(requirement);
        expect(result!.transcript?.length ?? 0, id).toBeGreaterThan(0);
      }
      const others = ids.filter((id) => !(id in ORIGINAL_BREAKS));
      expect(Object.fromEntries(others.map((id) => [id, byId.get(id)?.outcome])), explain(run)).toEqual(Object.fromEntries(others.map((id) => [id, 'PASS'])));
      expect(run.stoppedAfter).toBeNull();
      // Bounded: a missing reply is found by the next request's reply, not by a timeout per request.
      expect(elapsedMs).toBeLessThan(20_000);
      for (const r of run.results) expect(r.durationMs, r.id).toBeLessThan(5_000);
    });

    test('the replies it is known not to send are SKIP with --unanswered', async () => {
      const checks = IM_COMMAND_CHECKS.filter((c) => c.needsReply !== undefined);
      expect(checks.map((c) => c.id).sort()).toEqual(['im.reply.heartbeat', 'im.reply.update-user-info']);
      const run = await runAgainst({ port: original.port, protocol: 'im' }, checks, { unanswered: ['heartbeat', 'userinfo'] });
      expect(outcomes(run)).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'SKIP'])));
    });
  });
});
