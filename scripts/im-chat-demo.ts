// Two IM clients against a running server: register, log in, befriend, chat; every frame printed
// (hex and decoded) as it crosses the wire. `node --import tsx scripts/im-chat-demo.ts [port]`.
import { ImClient } from '../client/im-client.js';
import { MessageId, decodeMessage, encodeFrame, encodeMessage, messageName, type MessageFields, type MessageIdNumber } from '../proto/index.js';

const port = Number(process.argv[2] ?? 8999);
const suffix = Date.now().toString(36);
const show = (who: string, arrow: string, id: number, body: Uint8Array): void => {
  // structuredClone drops the generated classes' toJSON (which would print int64 as strings and
  // bytes as base64): numbers stay numbers, and bytes are shown as the text they carry.
  const decoded = JSON.stringify(structuredClone({ ...decodeMessage(id as MessageIdNumber, body) }), (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v);
  process.stdout.write(`${who} ${arrow} ${String(id).padStart(2)} ${messageName(id).padEnd(20)} ${Buffer.from(encodeFrame(id, body)).toString('hex').slice(0, 48)}  ${decoded}\n`);
};

async function client(name: string): Promise<{ send: <K extends MessageIdNumber>(id: K, f: MessageFields<K>) => void; next: (id: MessageIdNumber) => Promise<void>; c: ImClient }> {
  const c = await ImClient.connect(port);
  return {
    c,
    send: (id, fields) => { show(name, '->', id, encodeMessage(id, fields)); c.send(id, fields); },
    next: async (id) => { const f = await c.nextFrame((x) => x.id === id); show(name, '<-', f.id, f.body); },
  };
}

const alice = `alice-${suffix}`;
const bob = `bob-${suffix}`;
const a = await client('alice');
const b = await client('bob  ');
for (const [who, user] of [[a, alice], [b, bob]] as const) {
  who.send(MessageId.RegisterRequest, { UserID: user, Password: 'secret', NickName: user.split('-')[0] });
  await who.next(MessageId.RegisterResponse);
  who.send(MessageId.LoginRequest, { UserID: user, Password: 'secret', Status: 2 });
  await who.next(MessageId.LoginResponse);
}
a.send(MessageId.AddFriendsRequest, { UserID: alice, UserIDList: [bob] });
await a.next(MessageId.AddFriendsResponse);
a.send(MessageId.FriendChatRequest, { FromUserID: alice, ToUserID: bob, Content: new TextEncoder().encode('hello bob') });
await b.next(MessageId.FriendChatNotice);
b.send(MessageId.FriendChatRequest, { FromUserID: bob, ToUserID: alice, Content: new TextEncoder().encode('hi alice') });
await a.next(MessageId.FriendChatNotice);
a.send(MessageId.UserOfflineRequest, { UserID: alice });
await b.next(MessageId.UserOfflineNotice);
await a.c.waitClosed();
b.c.close();
