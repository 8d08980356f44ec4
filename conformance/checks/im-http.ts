// The HTTP side of IM files (docs/PROTOCOL.md section 7) beyond the download im.file.upload-download
// covers: what a download server answers for everything else. A name it never chose, or one under the
// other folder, is 404 (HEAD without a body); any other method is 405 with Allow [IM-FILE-3]; the
// avatar given at registration is served at the HeadImageUrl [IM-REG-4]; and no path a client could
// write, however encoded, reaches anything but the names the server chose [IM-FILE-2].
// Requests go over raw TCP (node:net, node:tls) with the request-target exactly as written: fetch and
// URL resolve `..` and normalise encodings before sending, which would hide the very paths a
// traversal uses. Each request asks for `Connection: close` and has a deadline: no answer is TIMEOUT,
// a refused or reset connection FAIL. Where files live comes from the server's own URLs (DownUrl,
// HeadImageUrl), or from the profile's httpBase when the user gave one.
import { randomBytes } from 'node:crypto';
import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { MessageId, ResultCode, UserStatus } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import { seconds } from '../harness/peer.js';
import { CheckFailed, CheckTimedOut, expectThat } from '../harness/verdicts.js';
import { AVATAR, loggedIn, registered, resultText, type Account } from './im-accounts.js';

// --- where the files are ---------------------------------------------------------------------------

type Folder = 'files' | 'avatars';

/** A name the server chose, as the checks reach it. */
interface Served {
  /** Scheme, host and port the requests connect to. */
  origin: URL;
  /** The path before `/res/`: empty unless the server's PUBLIC or the profile's httpBase has one. */
  prefix: string;
  /** The request-target of the name itself (prefix, `/res/FOLDER/NAME`, the server's query if any). */
  target: string;
  /** NAME, the last path segment. */
  name: string;
}

/**
 * Reads a URL the server handed out (a DownUrl or a HeadImageUrl) as PUBLIC/res/FOLDER/NAME
 * [IM-FILE-5]; with the profile's httpBase, its origin and path are put in front instead of PUBLIC's.
 */
function servedAt(ctx: CheckContext, raw: string, folder: Folder, field: string): Served {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CheckFailed(`a ${field} that is an absolute URL, PUBLIC/res/${folder}/NAME [IM-FILE-5]`, JSON.stringify(raw));
  }
  expectThat(url.protocol === 'http:' || url.protocol === 'https:', `an http or https ${field} [IM-FILE-3, IM-FILE-5]`, () => JSON.stringify(raw));
  const parts = new RegExp(`^(.*)/res/${folder}/([^/]+)$`).exec(url.pathname);
  if (parts === null) throw new CheckFailed(`a ${field} of the form PUBLIC/res/${folder}/NAME [IM-FILE-5]`, JSON.stringify(raw));
  const [, serverPrefix = '', name = ''] = parts;
  let origin = new URL(url.origin);
  let basePath = '';
  if (ctx.profile.httpBase !== null) {
    const base = new URL(ctx.profile.httpBase);
    origin = new URL(base.origin);
    basePath = base.pathname.replace(/\/+$/, '');
  }
  return { origin, prefix: `${basePath}${serverPrefix}`, target: `${basePath}${url.pathname}${url.search}`, name };
}

/** Uploads `data` under `fileName` on the account's connection (setup); where it is served. */
async function uploaded(ctx: CheckContext, account: Account, fileName: string, data: Uint8Array): Promise<Served> {
  account.peer.send(MessageId.UploadFileRequest, { FromUserID: account.user, ToUserID: '', UserType: 0, fileName, Data: data });
  const reply = await account.peer.expect(MessageId.UploadFileResponse, { what: `id 22 (UploadFileResponse) to the upload of ${JSON.stringify(fileName)}, ${data.length} bytes (setup)` });
  expectThat(reply.Result?.Code === ResultCode.Success, `UploadFileResponse Success for ${JSON.stringify(fileName)} (setup) [IM-FILE-1]`, () => resultText(reply.Result));
  const downUrl = reply.DownUrl ?? '';
  expectThat(downUrl !== '', 'an UploadFileResponse Success with the DownUrl the file is downloaded from [IM-FILE-1, IM-FILE-5]', () => 'an empty DownUrl');
  return servedAt(ctx, downUrl, 'files', 'DownUrl');
}

const randomName = (): string => randomBytes(16).toString('hex');

// --- raw HTTP/1.1 ----------------------------------------------------------------------------------

interface Answer {
  status: number;
  /** Header values by lower-case name, repeated headers joined with ", ". */
  headers: Map<string, string>;
  /** The body as framed (Content-Length, chunked, or up to the close). */
  body: Buffer;
  /** Every byte after the header block: for HEAD, a body that should not be there. */
  afterHeaders: Buffer;
}

type Parsed = { answer: Answer; complete: boolean } | { malformed: string } | null;

/** Decodes a chunked body; null while incomplete. */
function dechunk(bytes: Buffer): { body: Buffer } | { malformed: string } | null {
  const pieces: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = Number.parseInt(bytes.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return { malformed: `a chunk size of ${JSON.stringify(bytes.subarray(at, eol).toString('latin1'))}` };
    if (size === 0) return { body: Buffer.concat(pieces) };
    if (bytes.length < eol + 2 + size + 2) return null;
    pieces.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** The response in `raw` so far: null until its header block is complete. */
function parseAnswer(raw: Buffer, method: string, closed: boolean): Parsed {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return closed ? { malformed: `${raw.length} bytes without the end of a header block` } : null;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (statusLine === null) return { malformed: `the status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}` };
  const status = Number(statusLine[1]);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { malformed: `the header line ${JSON.stringify(line.slice(0, 80))}` };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)!}, ${value}` : value);
  }
  const afterHeaders = raw.subarray(end + 4);
  const answer = (body: Buffer): Answer => ({ status, headers, body, afterHeaders });
  // A HEAD answer has no body, whatever its headers say: it is complete once the server closes.
  if (method === 'HEAD' || status === 204 || status === 304) return { answer: answer(afterHeaders), complete: closed };
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
    const decoded = dechunk(afterHeaders);
    if (decoded === null) return closed ? { malformed: 'a chunked body cut short' } : null;
    return 'malformed' in decoded ? decoded : { answer: answer(decoded.body), complete: true };
  }
  const length = headers.get('content-length');
  if (length !== undefined) {
    const n = Number(length);
    if (!/^\d+$/.test(length)) return { malformed: `Content-Length ${JSON.stringify(length)}` };
    if (afterHeaders.length >= n) return { answer: answer(afterHeaders.subarray(0, n)), complete: true };
    return closed ? { answer: answer(afterHeaders), complete: true } : null;
  }
  return { answer: answer(afterHeaders), complete: closed };
}

const describeAnswer = (a: Answer): string =>
  `${a.status}${a.headers.has('content-length') ? `, Content-Length ${a.headers.get('content-length')!}` : ''}, ${a.body.length} bytes of body`;

/**
 * One request, the request-target sent byte for byte as given. Resolves once the answer is complete
 * (for HEAD: once the server closed, so that a body it should not send is seen).
 */
async function request(ctx: CheckContext, served: Pick<Served, 'origin'>, method: string, target: string, body?: Uint8Array): Promise<Answer> {
  const timeoutMs = Math.max(ctx.profile.timeoutMs, 2000);
  const { origin } = served;
  const tls = origin.protocol === 'https:';
  const host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(origin.port) || (tls ? 443 : 80);
  const head = [
    `${method} ${target} HTTP/1.1`, `Host: ${origin.host}`, 'Connection: close',
    ...(body ? ['Content-Type: application/octet-stream', `Content-Length: ${body.length}`] : []),
    '', '',
  ].join('\r\n');
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)]);
  const what = `an answer to HTTP ${method} ${target}`;
  ctx.transcript.record('http', 'sent', bytes, `HTTP ${method} ${origin.origin}${target}`);
  const answer = await new Promise<Answer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const socket: Socket = tls
      ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) }, () => socket.write(bytes))
      : connectTcp({ host, port }, () => socket.write(bytes));
    const finish = (outcome: Answer | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      ctx.transcript.record('http', 'received', raw, outcome instanceof Error ? outcome.message : `HTTP ${describeAnswer(outcome)}`);
      if (outcome instanceof Error) reject(outcome); else resolve(outcome);
    };
    const settle = (closed: boolean, failure: () => Error): void => {
      const parsed = parseAnswer(Buffer.concat(chunks), method, closed);
      if (parsed !== null && 'malformed' in parsed) finish(new CheckFailed(`${what}: a well-formed HTTP/1.1 response [IM-FILE-3]`, parsed.malformed));
      else if (parsed?.complete) finish(parsed.answer);
      else if (closed) finish(failure());
    };
    const timer = setTimeout(() => settle(true, () => new CheckTimedOut(`${what} within ${seconds(timeoutMs)} [IM-FILE-3]`,
      chunks.length === 0 ? 'no answer' : `${Buffer.concat(chunks).length} bytes of an answer not complete yet`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => { chunks.push(chunk); settle(false, () => new Error('unreachable')); });
    socket.on('error', (err: NodeJS.ErrnoException) => settle(true, () => new CheckFailed(`${what} [IM-FILE-3]`, `the request failed: ${err.code ?? err.message}`)));
    socket.on('close', () => settle(true, () => new CheckFailed(`${what} [IM-FILE-3]`, `the connection closed after ${Buffer.concat(chunks).length} bytes, before a complete response`)));
  });
  return answer;
}

const hexStart = (b: Uint8Array): string => `${b.length} bytes${b.length > 0 ? ` starting ${Buffer.from(b.subarray(0, 16)).toString('hex')}` : ''}`;

/** GET returns exactly `data`, with Content-Length; HEAD the same status and Content-Length, no body. */
async function expectServes(ctx: CheckContext, at: Served, data: Uint8Array, what: string, ids: string): Promise<void> {
  const get = await request(ctx, at, 'GET', at.target);
  expectThat(get.status === 200, `GET of ${what} answered 200 [${ids}]`, () => describeAnswer(get));
  expectThat(Buffer.compare(get.body, data) === 0, `GET of ${what}: exactly the ${data.length} bytes given [${ids}]`, () => hexStart(get.body));
  expectThat(get.headers.get('content-length') === String(data.length), `GET of ${what} with Content-Length ${data.length} [IM-FILE-3]`, () => `Content-Length ${get.headers.get('content-length') ?? '(none)'}`);
  const head = await request(ctx, at, 'HEAD', at.target);
  expectThat(head.status === 200, `HEAD of ${what} answered 200, as GET is [IM-FILE-3]`, () => describeAnswer(head));
  expectThat(head.headers.get('content-length') === String(data.length), `HEAD of ${what} with the Content-Length of GET, ${data.length} [IM-FILE-3]`, () => `Content-Length ${head.headers.get('content-length') ?? '(none)'}`);
  expectThat(head.afterHeaders.length === 0, `HEAD of ${what} with no body [IM-FILE-3]`, () => `${head.afterHeaders.length} bytes after the headers`);
}

// --- checks ----------------------------------------------------------------------------------------

const notFound: CheckDefinition = {
  id: 'im.http.not-found',
  level: 'MUST',
  requirements: ['IM-FILE-3'],
  requirement: 'GET or HEAD of anything but a name the server chose, under its own folder, is 404 (no body for HEAD).',
  description: 'GET and HEAD of well-formed names never uploaded (32 random hex digits, with and without an extension) under /res/files/ and /res/avatars/, and of an uploaded file\'s name under /res/avatars/: 404, HEAD without a body',
  async run(ctx) {
    const a = await loggedIn(ctx, 'httpnf');
    const file = await uploaded(ctx, a, 'known.txt', randomBytes(64));
    const p = file.prefix;
    const targets = [
      `${p}/res/files/${randomName()}`,
      `${p}/res/files/${randomName()}.txt`,
      `${p}/res/avatars/${randomName()}`,
      `${p}/res/avatars/${file.name}`,
    ];
    for (const target of targets) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await request(ctx, file, method, target);
        expectThat(answer.status === 404, `${method} ${target}, a name the server did not choose for that folder: 404 [IM-FILE-3]`, () => describeAnswer(answer));
        if (method === 'HEAD') expectThat(answer.afterHeaders.length === 0, `HEAD ${target}: a 404 with no body [IM-FILE-3]`, () => `${answer.afterHeaders.length} bytes after the headers`);
      }
    }
  },
};

const methodNotAllowed: CheckDefinition = {
  id: 'im.http.method-not-allowed',
  level: 'MUST',
  requirements: ['IM-FILE-3'],
  requirement: 'Any method but GET and HEAD, on any path, is 405 with Allow: GET, HEAD.',
  description: 'POST, PUT and DELETE of an uploaded file\'s URL, and POST of an unknown name, get 405 with an Allow listing GET and HEAD; the file is still served as uploaded afterwards',
  allows: 'any body with the 405; Allow may list the methods in any order',
  async run(ctx) {
    const a = await loggedIn(ctx, 'httpmethod');
    const data = randomBytes(256);
    const file = await uploaded(ctx, a, 'kept.bin', data);
    const tries: [string, string, Uint8Array | undefined][] = [
      ['POST', file.target, Buffer.from('replacement')],
      ['PUT', file.target, Buffer.from('replacement')],
      ['DELETE', file.target, undefined],
      ['POST', `${file.prefix}/res/files/${randomName()}`, Buffer.from('new')],
    ];
    for (const [method, target, body] of tries) {
      const answer = await request(ctx, file, method, target, body);
      expectThat(answer.status === 405, `${method} ${target}: 405 [IM-FILE-3]`, () => describeAnswer(answer));
      const allow = (answer.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
      expectThat(allow.includes('GET') && allow.includes('HEAD'), `${method} ${target}: a 405 whose Allow lists GET and HEAD [IM-FILE-3]`, () => `Allow ${JSON.stringify(answer.headers.get('allow') ?? '(none)')}`);
    }
    // The refused methods changed nothing.
    await expectServes(ctx, file, data, 'the file after the refused POST, PUT and DELETE', 'IM-FILE-3');
  },
};

const avatarServed: CheckDefinition = {
  id: 'im.http.avatar-served',
  level: 'MUST',
  requirements: ['IM-REG-4', 'IM-FILE-3', 'IM-FILE-5'],
  requirement: 'A non-empty HeadImageData is stored as the user\'s avatar and served over HTTP at HeadImageUrl, PUBLIC/res/avatars/NAME; the server MUST serve GET and HEAD of it.',
  description: 'a user registered with an avatar logs in: the LoginResponse\'s User.HeadImageUrl serves exactly the avatar\'s bytes on GET with the right Content-Length, and HEAD gives the same Content-Length',
  async run(ctx) {
    const account = await registered(ctx, 'httpavatar');
    account.peer.send(MessageId.LoginRequest, { UserID: account.user, Password: account.password, Status: UserStatus.Online });
    const reply = await account.peer.expect(MessageId.LoginResponse, { what: `id 2 (LoginResponse) to the login of ${account.user}, registered with an avatar` });
    expectThat(reply.Result?.Code === ResultCode.Success, `LoginResponse Success for ${account.user} with its password (setup) [IM-LOGIN-1]`, () => resultText(reply.Result));
    const url = reply.User?.HeadImageUrl ?? '';
    expectThat(url !== '', `a LoginResponse whose User.HeadImageUrl names the avatar given at registration (${AVATAR.length} bytes) [IM-REG-4, IM-FILE-5]`, () => (reply.User ? 'an empty HeadImageUrl' : 'no User'));
    await expectServes(ctx, servedAt(ctx, url, 'avatars', 'HeadImageUrl'), AVATAR, `the HeadImageUrl ${url}`, 'IM-REG-4, IM-FILE-3');
  },
};

const noPathTraversal: CheckDefinition = {
  id: 'im.http.no-path-traversal',
  level: 'MUST',
  requirements: ['IM-FILE-2', 'IM-FILE-3'],
  requirement: 'The server MUST choose the stored name itself and never use the client\'s fileName as a path; GET of anything but a name it chose is 404.',
  description: 'after an upload named ../../<unique>, raw GETs of dot-dot paths (plain, %2e%2e%2f, %2f, double-encoded, backslashes, after the uploaded name, up to /etc/passwd, and where the client\'s fileName would lead) are 404; the uploaded name is served',
  allows: 'paths that resolve to the uploaded name itself may serve its bytes; 400 for a request-target holding a backslash, which no URI may hold',
  async run(ctx) {
    const a = await loggedIn(ctx, 'httptrav');
    // A fileName unique to this run: were it used as a path, it would be found here and nowhere else.
    const tag = ctx.name('travfile');
    const data = randomBytes(512);
    const file = await uploaded(ctx, a, `../../${tag}`, data);
    const get = await request(ctx, file, 'GET', file.target);
    expectThat(get.status === 200 && Buffer.compare(get.body, data) === 0, `GET of the DownUrl: 200 and the ${data.length} bytes uploaded [IM-FILE-3]`, () => `${describeAnswer(get)}, ${hexStart(get.body)}`);
    const p = file.prefix;
    const n = file.name;
    /** Must be 404: none of these is a name the server chose. */
    const never = [
      '/res/files/../../etc/passwd', '/res/files/../../../../../../../../etc/passwd', '/res/avatars/../../etc/passwd',
      '/res/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/res/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/res/files/%2e%2e/%2e%2e/etc/passwd',
      '/res/files/..%2f..%2fetc%2fpasswd', '/res/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd', '/res/files/%2fetc%2fpasswd',
      '/res/files//etc/passwd', '/res/files/..%5c..%5cetc%5cpasswd', '/res/files/..\\..\\etc\\passwd', '/res/files\\..\\..\\etc\\passwd',
      `/res/files/${n}/..`, `/res/files/${n}/../`, `/res/files/${n}/../../../etc/passwd`, `/res/files/${n}%2f..`, `/res/files/${n}/%2e%2e`,
      '/res/files/..', '/res/files/', '/res/files', '/res/',
      `/res/files/../../${tag}`, `/res/files/..%2f..%2f${tag}`, `/res/files/..\\..\\${tag}`, `/res/files/${tag}`, `/res/${tag}`, `/${tag}`,
    ];
    /** May serve the uploaded bytes: they resolve to its name. */
    const same = [`/res/files/./${n}`, `/res/files/../files/${n}`, `/res/avatars/../files/${n}`, `/res/files/x/../${n}`, `/res/files/%2e/${n}`];
    for (const path of [...never, ...same]) {
      const target = `${p}${path}`;
      const answer = await request(ctx, file, 'GET', target);
      const itself = same.includes(path) && answer.status === 200 && Buffer.compare(answer.body, data) === 0;
      const refused = answer.status === 404 || (answer.status === 400 && target.includes('\\'));
      expectThat(refused || itself, `GET ${target}: 404${same.includes(path) ? ', or the uploaded file\'s bytes' : ''}, never anything a client could reach by a path of its own [IM-FILE-2, IM-FILE-3]`,
        () => `${describeAnswer(answer)}${answer.body.length > 0 ? `, body ${JSON.stringify(answer.body.subarray(0, 60).toString('latin1'))}` : ''}`);
    }
  },
};

export const IM_HTTP_CHECKS: readonly CheckDefinition[] = [notFound, methodNotAllowed, avatarServed, noPathTraversal];
