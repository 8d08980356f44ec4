// The CHAT/1.0 checks against the reference server, which must pass every one, and against a small
// line server written here, with one flaw at a time: each flaw must make the check written for it
// FAIL, so a check that cannot fail is found. The small server without flaws passes every check, so
// each FAIL below is the flaw's, not the small server's.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isChatParseError, parseChatLine } from '../../proto/index.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import type { CheckDefinition } from '../catalogue/check.js';
import { CHAT_COMMAND_CHECKS } from '../checks/chat-commands.js';
import { CHAT_LINE_CHECKS } from '../checks/chat-lines.js';
import type { ChecksRun } from '../run/run-checks.js';
import { explain, outcomes, runAgainst } from './support.js';

const CHECKS = [...CHAT_LINE_CHECKS, ...CHAT_COMMAND_CHECKS];
/** The SHOULD [CHAT-LINE-1] gained: the bytes after the last LF are a line on a half-close. */
const NEW_RULE = 'chat.line.last-without-newline';

function check(id: string): CheckDefinition {
  const found = CHECKS.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function timings(run: ChecksRun): string {
  return run.results.map((r) => `${r.id} ${r.outcome} ${r.durationMs} ms`).join('\n');
}

interface Flaws {
  /** Handles the bytes after the last LF as a line on a half-close ([CHAT-LINE-1], the SHOULD). */
  tailOnFin?: boolean;
  /** Closes the connection at the first bad line (breaks [CHAT-LINE-7]). */
  closeOnBadLine?: boolean;
  /** Ends lines at a lone CR too (breaks [CHAT-LINE-1]: injected commands). */
  crIsTerminator?: boolean;
  /** Reads what each read holds as whole lines and drops a partial one (breaks [CHAT-LINE-1]). */
  noBuffering?: boolean;
  /** Cuts lines at the limit into pieces read as lines, as the original (breaks [CHAT-LINE-4]). */
  cutLongLines?: boolean;
  /** Ends its lines with CRLF (breaks [CHAT-LINE-1]). */
  crlfOut?: boolean;
  /** Treats a client's RECEIVE as a SEND (breaks [CHAT-LINE-8]). */
  receiveAsSend?: boolean;
  /** Trims the data (breaks [CHAT-SEND-1]). */
  trimData?: boolean;
  /** Stores a SEND to nobody and delivers it at the name's LOGIN (breaks [CHAT-SEND-2]). */
  storeForNobody?: boolean;
  /** Runs commands before LOGIN under the empty name, as the original (breaks [CHAT-LOGIN-2]). */
  preLoginAsEmpty?: boolean;
  /** A second LOGIN adds the new name and keeps the old one (breaks [CHAT-LOGIN-1]). */
  renameKeepsOld?: boolean;
  /** A SEND to one's own name reaches the sending connection only (breaks [CHAT-SEND-1]). */
  selfSendEchoOnly?: boolean;
  /** Handles the lines after LOGOUT that came with it (breaks [CHAT-LOGOUT-1]). */
  handleAfterLogout?: boolean;
  /** BROADCAST skips the sending connection only, as the original (breaks [CHAT-GROUP-3]). */
  skipSendingConnectionOnly?: boolean;
  /** GROUP on an existing group does nothing, as the original (breaks [CHAT-GROUP-1]). */
  ignoreGroupOnExisting?: boolean;
  /** LEAVE does nothing (breaks [CHAT-GROUP-2]). */
  leaveIgnored?: boolean;
}

const LIMIT = 4096;

/** A minimal CHAT/1.0 server: the proto parser, a hub of names and groups, and the flaws asked for. */
async function startLineServer(flaws: Flaws): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const byName = new Map<string, Socket[]>();
  const groups = new Map<string, Set<string>>();
  const stored = new Map<string, Buffer[]>();
  // Formatted by hand: the empty name of preLoginAsEmpty is no valid line.
  const lineOf = (from: string, data: string): Buffer => Buffer.from(`CHAT/1.0 RECEIVE ${from} ${data}${flaws.crlfOut ? '\r\n' : '\n'}`, 'utf8');
  const deliver = (names: Iterable<string>, from: string, data: string, skip: (s: Socket) => boolean = () => false): number => {
    let count = 0;
    for (const n of names) for (const s of byName.get(n) ?? []) if (!skip(s)) { s.write(lineOf(from, data)); count++; }
    return count;
  };
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    const names: string[] = [];
    let name: string | null = null;
    let pending = Buffer.alloc(0);
    let discarding = false;
    let done = false;
    const partAll = (): void => { for (const n of names) byName.set(n, (byName.get(n) ?? []).filter((s) => s !== socket)); };
    const command = (line: Buffer): void => {
      const c = parseChatLine(line);
      if (isChatParseError(c)) {
        if (flaws.closeOnBadLine) { done = true; socket.end(); }
        return;
      }
      if (c.command === 'LOGIN') {
        if (!flaws.renameKeepsOld) { partAll(); names.length = 0; }
        name = c.name;
        names.push(name);
        byName.set(name, [...(byName.get(name) ?? []), socket]);
        for (const line of stored.get(name) ?? []) socket.write(line);
        stored.delete(name);
        return;
      }
      if (c.command === 'LOGOUT') { done = !flaws.handleAfterLogout; socket.end(); return; }
      if (name === null && !flaws.preLoginAsEmpty) return;
      const me = name ?? '';
      if (c.command === 'RECEIVE') {
        if (flaws.receiveAsSend) deliver([c.from], me, c.data);
      } else if (c.command === 'SEND') {
        const data = flaws.trimData ? c.data.trim() : c.data;
        const echo = flaws.selfSendEchoOnly === true && c.name === me;
        if (deliver([c.name], me, data, (s) => echo && s !== socket) === 0 && flaws.storeForNobody) stored.set(c.name, [...(stored.get(c.name) ?? []), lineOf(me, data)]);
      } else if (c.command === 'GROUP') {
        if (groups.has(c.group) && flaws.ignoreGroupOnExisting) return;
        groups.set(c.group, new Set([...(groups.get(c.group) ?? []), me, ...c.members]));
      } else if (c.command === 'LEAVE') {
        if (!flaws.leaveIgnored) groups.get(c.group)?.delete(me);
      } else {
        const members = [...(groups.get(c.group) ?? [])];
        if (flaws.skipSendingConnectionOnly) deliver(members, me, c.data, (s) => s === socket);
        else deliver(members.filter((m) => m !== me), me, c.data);
      }
    };
    const handle = (raw: Buffer): void => {
      const line = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
      if (!flaws.crIsTerminator) return command(line);
      let start = 0;
      for (let cr = line.indexOf(0x0d); cr >= 0; cr = line.indexOf(0x0d, start)) { command(line.subarray(start, cr)); start = cr + 1; }
      command(line.subarray(start));
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (!done) {
        const lf = pending.indexOf(0x0a);
        const length = lf < 0 ? pending.length : lf;
        if (flaws.cutLongLines && length > LIMIT) {
          handle(pending.subarray(0, LIMIT));
          pending = pending.subarray(LIMIT);
          continue;
        }
        if (lf < 0) {
          if (pending.length > LIMIT + 1) { discarding = true; pending = Buffer.alloc(0); }
          if (flaws.noBuffering) pending = Buffer.alloc(0);
          return;
        }
        const line = pending.subarray(0, lf);
        pending = pending.subarray(lf + 1);
        const long = discarding || line.length - (line.at(-1) === 0x0d ? 1 : 0) > LIMIT;
        discarding = false;
        if (!long) handle(line);
      }
    });
    socket.on('end', () => {
      if (flaws.tailOnFin && !done && !discarding && pending.length > 0) handle(pending);
      socket.end();
    });
    socket.on('close', () => { partAll(); sockets.delete(socket); });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () => new Promise((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); }),
  };
}

async function outcomeAgainst(flaws: Flaws, ids: readonly string[]): Promise<ChecksRun> {
  const small = await startLineServer(flaws);
  try {
    return await runAgainst({ port: small.port, protocol: 'chat' }, ids.map(check));
  } finally {
    await small.close();
  }
}

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ logLevel: 'warn' }); });
afterAll(async () => { await server.close(); });

describe('the CHAT/1.0 checks', () => {
  test('ids are unique, lower-case chat.<area>.<name>, with a level and requirements', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^chat\.[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.requirements.length).toBeGreaterThan(0);
      expect(['MUST', 'SHOULD', 'INFO']).toContain(c.level);
    }
  });

  test('every check passes against the reference server', async () => {
    const run = await runAgainst({ port: server.chatPort, protocol: 'chat' }, CHECKS);
    console.info(timings(run));
    expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'PASS'])));
    expect(run.stoppedAfter).toBeNull();
  });

  test('the small server without flaws passes every check, the half-close one included', async () => {
    const run = await outcomeAgainst({ tailOnFin: true }, CHECKS.map((c) => c.id));
    expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'PASS'])));
  });

  test.each<[string, string, Flaws]>([
    ['discards the bytes after the last LF', NEW_RULE, { tailOnFin: false }],
    ['closes on a bad line', 'chat.line.malformed-kept-open', { closeOnBadLine: true }],
    ['ends lines at a lone CR', 'chat.line.malformed-kept-open', { crIsTerminator: true }],
    ['drops partial lines', 'chat.line.split-anywhere', { noBuffering: true }],
    ['cuts long lines into lines', 'chat.line.too-long', { cutLongLines: true }],
    ['ends its lines with CRLF', 'chat.line.server-lf', { crlfOut: true }],
    ['treats a RECEIVE as a SEND', 'chat.line.receive-from-client', { receiveAsSend: true }],
    ['trims data', 'chat.send.exact-data', { trimData: true }],
    ['stores a SEND to nobody', 'chat.send.nobody-there', { storeForNobody: true }],
    ['runs commands before LOGIN under the empty name', 'chat.login.before-login', { preLoginAsEmpty: true }],
    ['keeps the old name on a rename', 'chat.login.rename', { renameKeepsOld: true }],
    ['echoes a SEND to one\'s own name on the sending connection only', 'chat.login.same-name-twice', { selfSendEchoOnly: true }],
    ['handles lines after LOGOUT', 'chat.logout.closes', { handleAfterLogout: true }],
    ['skips only the sending connection in BROADCAST', 'chat.group.broadcast', { skipSendingConnectionOnly: true }],
    ['ignores GROUP on an existing group', 'chat.group.join-existing', { ignoreGroupOnExisting: true }],
    ['ignores LEAVE', 'chat.group.leave', { leaveIgnored: true }],
  ])('a server that %s fails %s', async (_what, id, flaws) => {
    const run = await outcomeAgainst({ tailOnFin: true, ...flaws }, [id]);
    expect(outcomes(run), explain(run)).toEqual({ [id]: 'FAIL' });
    expect(run.results[0]!.expected).toBeTruthy();
    expect(run.results[0]!.got).toBeTruthy();
  });
});
