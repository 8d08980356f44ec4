// Property over real sockets: whatever bytes a CHAT/1.0 client sends (valid lines, junk, `\n` and `\r`
// anywhere, lines over the limit, any chunking), the same connection can still LOGIN and exchange a
// SEND afterwards, and the server logs no error [D-CHATLINE].
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../client/chat-client.js';
import { formatChatLine } from '../../proto/index.js';
import { arbChatCommand, arbCuts, arbLineBytes } from '../../proto/test/arbitraries.js';
import { concatBytes, splitAt } from '../../proto/test/helpers.js';
import { inbox, loginOn, roundTrip, write, type ChatUser } from './chat-steps.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** Pieces that make parse paths likely: protocol and command words, terminators, the witness's name. */
const arbFragment = fc.constantFrom(
  'CHAT/1.0 ', 'CHAT/1.1 ', 'SEND ', 'LOGIN ', 'GROUP ', 'LEAVE ', 'BROADCAST ', 'RECEIVE ', 'send ',
  'witness ', '\r\n', '\n', '\r', ' ', '\n\n', 'x'.repeat(70),
).map(utf8);

const arbPiece = fc.oneof(
  { weight: 3, arbitrary: arbLineBytes },
  { weight: 2, arbitrary: arbFragment },
  { weight: 2, arbitrary: arbChatCommand.filter((c) => c.command !== 'LOGOUT').map((c) => utf8(formatChatLine(c))) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 60, maxLength: 300 }) },
);

/** A stream of pieces that never spells LOGOUT: that one line legitimately ends the connection. */
const arbStream = fc
  .array(arbPiece, { maxLength: 30 })
  .map((pieces) => concatBytes(pieces))
  .filter((bytes) => !Buffer.from(bytes).includes('LOGOUT'));

describe('CHAT/1.0 random input over a socket (maxLineBytes 64)', () => {
  let server: TestServer;
  let witness: ChatUser;
  let run = 0;

  beforeAll(async () => {
    server = await startTestServer({ imPort: null, httpPort: null, maxLineBytes: 64 });
    const client = await ChatClient.connect(server.chatPort);
    witness = await loginOn(server, client, 'witness');
  });

  afterAll(async () => {
    witness?.client.close();
    await server?.close();
  });

  it('never ends the connection nor the server: afterwards the same connection logs in and exchanges a SEND', async () => {
    await fc.assert(
      fc.asyncProperty(arbStream, arbCuts, fc.boolean(), async (stream, cuts, loginFirst) => {
        const name = `fuzz-${++run}`;
        const client = await ChatClient.connect(server.chatPort);
        try {
          if (loginFirst) await loginOn(server, client, `${name}-before`);
          for (const piece of splitAt(stream, cuts)) if (piece.length > 0) await write(client, piece);
          // End whatever partial line the stream left, then log in under a fresh name.
          await write(client, '\n');
          const me = await loginOn(server, client, name);
          const token = await roundTrip(me, witness);
          const back = await roundTrip(witness, me);
          expect(client.closed).toBe(false);
          expect(inbox(client)).toContain(`witness: ${back}`);
          expect(inbox(witness.client)).toContain(`${name}: ${token}`);
        } finally {
          client.close();
        }
      }),
      { numRuns: 30 },
    );
    expect(server.logs.filter((l) => / ERROR /.test(l))).toEqual([]);
    expect(witness.client.closed).toBe(false);
  });
});
