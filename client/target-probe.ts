// The probe every part uses to ask "is this a live server of this protocol?" [D-CONFORM]: one request
// that every conforming server answers, the original included. IM: a LoginRequest of a user that does
// not exist (reply 2, UserNotExists); CHAT/1.0: LOGIN, then a SEND to oneself (its RECEIVE). After
// silence it tries the other frame layout and the other protocol and names what it found, since a
// peer of the other layout gets no error, only a bogus length to wait on (docs/PROTOCOL.md [IM-FRAME-8]).
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  FrameDecoder, LineSplitter, MessageId, UserStatus, encodeMessageFrame, formatChatLine, isChatParseError, parseChatLine, type FrameLayout,
} from '../proto/index.js';
import type { Endpoint } from './target.js';


export type ProbeProtocol = 'im' | 'chat';

export interface ProbeOptions {
  protocol: ProbeProtocol;
  layout: FrameLayout;
  timeoutMs: number;
  /** Largest IM body accepted in the reply. */
  maxBodyBytes?: number;
}

/** What one probe saw: `answered`, or how it failed. */
export type ProbeOutcome =
  | { kind: 'answered' }
  | { kind: 'refused'; detail: string }
  | { kind: 'silent' }
  | { kind: 'closed' }
  | { kind: 'garbage'; detail: string };

const name = (t: Endpoint): string => `${t.host}:${t.port}`;

/** One exchange on a fresh connection: `hello` written, `judge` fed every chunk until it decides. */
function exchange(target: Endpoint, timeoutMs: number, hello: string | Uint8Array, judge: (chunk: Buffer) => ProbeOutcome | null): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let done = false;
    let connected = false;
    const socket: Socket = connect({ host: target.host, port: target.port });
    const finish = (outcome: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(connected ? { kind: 'silent' } : { kind: 'refused', detail: `did not accept a connection within ${timeoutMs} ms` }), timeoutMs);
    socket.on('connect', () => { connected = true; socket.write(hello); });
    socket.on('data', (chunk: Buffer) => { const verdict = judge(chunk); if (verdict) finish(verdict); });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Reset after it accepted: it closed on us, which says more than the error code.
      if (connected) finish({ kind: 'closed' });
      else finish({ kind: 'refused', detail: err.code === 'ECONNREFUSED' ? 'refused the connection: is the server running?' : err.code ?? err.message });
    });
    socket.on('close', () => finish({ kind: 'closed' }));
  });
}

function probeIm(target: Endpoint, layout: FrameLayout, timeoutMs: number, maxBodyBytes: number): Promise<ProbeOutcome> {
  const user = `tb-probe-${randomBytes(6).toString('hex')}`;
  const hello = encodeMessageFrame(MessageId.LoginRequest, { UserID: user, Password: 'probe', Status: UserStatus.Online }, layout);
  // A frame id outside 2-24 or a header over the limit: the other layout, or not this protocol.
  const decoder = new FrameDecoder({ layout, maxBodyBytes, acceptId: (id) => id >= 2 && id <= 24 && id % 2 === 0 });
  return exchange(target, timeoutMs, hello, (chunk) => {
    try {
      for (const frame of decoder.push(chunk)) if (frame.id === MessageId.LoginResponse) return { kind: 'answered' };
      return null;
    } catch (err) {
      return { kind: 'garbage', detail: (err as Error).message };
    }
  });
}

function probeChat(target: Endpoint, timeoutMs: number): Promise<ProbeOutcome> {
  const user = `tb-probe-${randomBytes(6).toString('hex')}`;
  const marker = `probe ${randomBytes(4).toString('hex')}`;
  const hello = formatChatLine({ command: 'LOGIN', name: user }) + formatChatLine({ command: 'SEND', name: user, data: marker });
  const splitter = new LineSplitter();
  return exchange(target, timeoutMs, hello, (chunk) => {
    for (const event of splitter.push(chunk)) {
      if (event.kind !== 'line') continue;
      const command = parseChatLine(event.line);
      if (!isChatParseError(command) && command.command === 'RECEIVE' && command.from === user && command.data === marker) return { kind: 'answered' };
    }
    return null;
  });
}

/** One probe of `target` as the options say. */
export function probe(target: Endpoint, options: ProbeOptions): Promise<ProbeOutcome> {
  return options.protocol === 'chat'
    ? probeChat(target, options.timeoutMs)
    : probeIm(target, options.layout, options.timeoutMs, options.maxBodyBytes ?? 16 * 1024 * 1024);
}

const HOW: Record<ProbeProtocol, string> = {
  im: 'a LoginRequest of a user that does not exist',
  chat: 'CHAT/1.0 LOGIN and a SEND to itself',
};

/** What a probe that was not answered says, in words a person can act on. */
export function probeFailure(target: Endpoint, options: ProbeOptions, outcome: Exclude<ProbeOutcome, { kind: 'answered' }>): string {
  const what = options.protocol === 'im' ? `IM, layout ${options.layout}` : 'CHAT/1.0';
  switch (outcome.kind) {
    case 'refused': return `target ${name(target)} ${outcome.detail}`;
    case 'silent': return `target ${name(target)} accepted the connection but did not answer ${HOW[options.protocol]} (${what}) within ${options.timeoutMs} ms`;
    case 'closed': return `target ${name(target)} closed the connection without answering ${HOW[options.protocol]} (${what})`;
    case 'garbage': return `target ${name(target)} answered ${HOW[options.protocol]} (${what}) with bytes that are not a reply: ${outcome.detail}`;
  }
}

/** How long each of the other guesses may take, after the probe itself went unanswered. */
const GUESS_MS = 2000;

/**
 * The preflight of one target: null when it answered the probe; otherwise what is wrong, naming the
 * layout or protocol it does answer when it answers one [IM-FRAME-8].
 */
export async function preflightTarget(target: Endpoint, options: ProbeOptions): Promise<string | null> {
  const outcome = await probe(target, options);
  if (outcome.kind === 'answered') return null;
  const problem = probeFailure(target, options, outcome);
  if (outcome.kind === 'refused') return problem;
  const guessMs = Math.min(GUESS_MS, options.timeoutMs);
  const otherLayout: FrameLayout = options.layout === 'le' ? 'be' : 'le';
  const guesses: { works: Promise<ProbeOutcome>; hint: string }[] = options.protocol === 'im'
    ? [
      { works: probe(target, { ...options, layout: otherLayout, timeoutMs: guessMs }), hint: `it answers IM frames of the ${otherLayout} layout: use --layout ${otherLayout}` },
      { works: probe(target, { ...options, protocol: 'chat', timeoutMs: guessMs }), hint: 'it speaks CHAT/1.0: use --protocol chat' },
    ]
    : [
      { works: probe(target, { ...options, protocol: 'im', layout: 'le', timeoutMs: guessMs }), hint: 'it speaks the IM protocol (layout le): use --protocol im' },
      { works: probe(target, { ...options, protocol: 'im', layout: 'be', timeoutMs: guessMs }), hint: 'it speaks the IM protocol (layout be): use --protocol im --layout be' },
    ];
  const results = await Promise.all(guesses.map((g) => g.works));
  const found = guesses.find((_, i) => results[i]!.kind === 'answered');
  return found ? `${problem}; ${found.hint}` : `${problem}, nor the other layout or protocol: is it alive, and a server of this protocol?`;
}
