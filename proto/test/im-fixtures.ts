// Exact IM frames, written out by hand (never produced by the encoder under test), one or more per
// message id. Header: 'le' = u32 LE length then u32 LE id; 'be' = u32 BE id then u32 BE length.
// Protobuf: tag byte = field number << 3 | wire type (0 varint, 2 length-delimited), then the value.
import type { FrameLayout } from '../frame-codec.js';
import type { MessageIdNumber, MessageName } from '../message-ids.js';
import type { MessageFields } from '../messages.js';

export interface FrameFixture {
  name: string;
  /** The message the id names, per the id table of docs/ORIGINALS.md. */
  message: MessageName;
  id: MessageIdNumber;
  fields: MessageFields<MessageIdNumber>;
  hex: string;
  layout: FrameLayout;
}

function row<K extends MessageIdNumber>(r: {
  name: string; message: MessageName; id: K; fields: MessageFields<K>; hex: string; layout?: FrameLayout;
}): FrameFixture {
  return { ...r, layout: r.layout ?? 'le' } as FrameFixture;
}

const bytes = (...b: number[]) => new Uint8Array(b);
const A300 = 'a'.repeat(300);

export const FRAME_FIXTURES: readonly FrameFixture[] = [
  row({ name: 'LoginRequest alice/pa/2 (worked example of docs/ORIGINALS.md)', message: 'LoginRequest', id: 1,
    fields: { UserID: 'alice', Password: 'pa', Status: 2 },
    hex: '0d000000' /* length 13 */ + '01000000' /* id 1 */
      + '0a05' + '616c696365' /* 1 UserID, len 5, "alice" */ + '1202' + '7061' /* 2 Password, len 2, "pa" */
      + '1802' /* 3 Status varint 2 */ }),
  row({ name: 'LoginRequest alice/pa/2, be layout', message: 'LoginRequest', id: 1, layout: 'be',
    fields: { UserID: 'alice', Password: 'pa', Status: 2 },
    hex: '00000001' /* id 1, BE, first */ + '0000000d' /* length 13, BE */
      + '0a05616c696365' /* 1 UserID "alice" */ + '12027061' /* 2 Password "pa" */ + '1802' /* 3 Status 2 */ }),
  row({ name: 'LoginRequest with a negative int32 (10-byte varint)', message: 'LoginRequest', id: 1,
    fields: { UserID: 'x', Status: -1 },
    hex: '0e000000' /* length 14 */ + '01000000' /* id 1 */ + '0a0178' /* 1 UserID "x" */
      + '18' /* 3 Status varint */ + 'ffffffffffffffffff01' /* -1, sign-extended to 64 bits: 10 bytes */ }),
  row({ name: 'LoginResponse with nested Result and UserInfo (int64 CreateTime)', message: 'LoginResponse', id: 2,
    fields: { Result: { Code: 1, Msg: 'ok' }, User: { UserID: 'alice', NickName: 'Alice', CreateTime: 1700000000, Status: 2 } },
    hex: '20000000' /* length 32 */ + '02000000' /* id 2 */
      + '0a06' /* 1 Result, len 6 */ + '0801' /* Code 1 */ + '12026f6b' /* Msg "ok" */
      + '1216' /* 2 User, len 22 */ + '0a05616c696365' /* UserID "alice" */ + '1205416c696365' /* NickName "Alice" */
      + '28' + '80e2cfaa06' /* 5 CreateTime varint 1700000000 = 0x6553f100 */ + '3002' /* 6 Status 2 */ }),
  row({ name: 'RegisterRequest with a bytes field (HeadImageData)', message: 'RegisterRequest', id: 3,
    fields: { UserID: 'bob', Password: 'pw', NickName: 'Bob', Signature: 'hi', HeadImageData: bytes(0x89, 0x50, 0x4e, 0x47) },
    hex: '18000000' /* length 24 */ + '03000000' /* id 3 */
      + '0a03626f62' /* 1 UserID "bob" */ + '12027077' /* 2 Password "pw" */ + '1a03426f62' /* 3 NickName "Bob" */
      + '22026869' /* 4 Signature "hi" */ + '2a04' + '89504e47' /* 5 HeadImageData, len 4, PNG magic */ }),
  row({ name: 'RegisterResponse UserExists with a message', message: 'RegisterResponse', id: 4,
    fields: { Result: { Code: 2, Msg: 'exists' } },
    hex: '0c000000' /* length 12 */ + '04000000' /* id 4 */
      + '0a0a' /* 1 Result, len 10 */ + '0802' /* Code 2 */ + '1206657869737473' /* Msg "exists" */ }),
  row({ name: 'GetFriendsRequest', message: 'GetFriendsRequest', id: 5, fields: { UserID: 'alice' },
    hex: '07000000' /* length 7 */ + '05000000' /* id 5 */ + '0a05616c696365' /* 1 UserID "alice" */ }),
  row({ name: 'GetFriendsResponse with two repeated UserInfo', message: 'GetFriendsResponse', id: 6,
    fields: { Result: { Code: 1 }, Friends: [{ UserID: 'bob', Status: 2 }, { UserID: 'carol', Status: 6 }] },
    hex: '18000000' /* length 24 */ + '06000000' /* id 6 */
      + '0a020801' /* 1 Result {Code 1} */
      + '1207' + '0a03626f62' + '3002' /* 2 Friends[0], len 7: UserID "bob", Status 2 */
      + '1209' + '0a056361726f6c' + '3006' /* 2 Friends[1], len 9: UserID "carol", Status 6 */ }),
  row({ name: 'UserOfflineRequest (logout)', message: 'UserOfflineRequest', id: 7, fields: { UserID: 'alice' },
    hex: '07000000' /* length 7 */ + '07000000' /* id 7 */ + '0a05616c696365' /* 1 UserID "alice" */ }),
  row({ name: 'UserOfflineNotice Status 6', message: 'UserOfflineNotice', id: 8, fields: { UserID: 'alice', Status: 6 },
    hex: '09000000' /* length 9 */ + '08000000' /* id 8 */ + '0a05616c696365' /* 1 UserID */ + '1006' /* 2 Status 6 */ }),
  row({ name: 'ChangeStatusRequest Away', message: 'ChangeStatusRequest', id: 9, fields: { UserID: 'alice', Status: 3 },
    hex: '09000000' /* length 9 */ + '09000000' /* id 9 */ + '0a05616c696365' /* 1 UserID */ + '1003' /* 2 Status 3 */ }),
  row({ name: 'ChangeStatusNotice Busy', message: 'ChangeStatusNotice', id: 10, fields: { UserID: 'bob', Status: 4 },
    hex: '07000000' /* length 7 */ + '0a000000' /* id 10 */ + '0a03626f62' /* 1 UserID "bob" */ + '1004' /* 2 Status 4 */ }),
  row({ name: 'UpdateUserInfoRequest (field 2 only)', message: 'UpdateUserInfoRequest', id: 11,
    fields: { User: { UserID: 'alice', Signature: 'busy', HeadImageUrl: '/res/a.png' } },
    hex: '1b000000' /* length 27 */ + '0b000000' /* id 11 */
      + '1219' /* 2 User, len 25 */ + '0a05616c696365' /* 1 UserID "alice" */ + '1a0462757379' /* 3 Signature "busy" */
      + '220a' + '2f7265732f612e706e67' /* 4 HeadImageUrl, len 10, "/res/a.png" */ }),
  row({ name: 'UpdateUserInfoResponse Success', message: 'UpdateUserInfoResponse', id: 12, fields: { Result: { Code: 1 } },
    hex: '04000000' /* length 4 */ + '0c000000' /* id 12 */ + '0a02' + '0801' /* 1 Result, len 2: Code 1 */ }),
  row({ name: 'FriendChatRequest with binary Content', message: 'FriendChatRequest', id: 13,
    fields: { FromUserID: 'alice', ToUserID: 'bob', Content: bytes(0x68, 0x69, 0x00, 0xff) },
    hex: '12000000' /* length 18 */ + '0d000000' /* id 13 */
      + '0a05616c696365' /* 1 FromUserID "alice" */ + '1203626f62' /* 2 ToUserID "bob" */
      + '1a04' + '686900ff' /* 3 Content, len 4: "hi", NUL, 0xff */ }),
  row({ name: 'FriendChatRequest with 300-byte Content (2-byte varint length)', message: 'FriendChatRequest', id: 13,
    fields: { FromUserID: 'alice', ToUserID: 'bob', Content: new TextEncoder().encode(A300) },
    hex: '3b010000' /* length 315 = 0x13b: 7 + 5 + 3 + 300 */ + '0d000000' /* id 13 */
      + '0a05616c696365' /* 1 FromUserID */ + '1203626f62' /* 2 ToUserID */
      + '1a' + 'ac02' /* 3 Content, len 300 = 0b10_0101100 -> ac 02 */ + '61'.repeat(300) }),
  row({ name: 'FriendChatRequest 300-byte Content, be layout', message: 'FriendChatRequest', id: 13, layout: 'be',
    fields: { FromUserID: 'alice', ToUserID: 'bob', Content: new TextEncoder().encode(A300) },
    hex: '0000000d' /* id 13 */ + '0000013b' /* length 315, BE */
      + '0a05616c696365' + '1203626f62' + '1aac02' + '61'.repeat(300) }),
  row({ name: 'FriendChatNotice with UTF-8 Content', message: 'FriendChatNotice', id: 14,
    fields: { FromUserID: 'alice', ToUserID: 'bob', Content: bytes(0xc3, 0xa9) },
    hex: '10000000' /* length 16 */ + '0e000000' /* id 14 */
      + '0a05616c696365' /* 1 FromUserID */ + '1203626f62' /* 2 ToUserID */ + '1a02' + 'c3a9' /* 3 Content "é" */ }),
  row({ name: 'GetUserListRequest', message: 'GetUserListRequest', id: 15, fields: { UserID: 'bob' },
    hex: '05000000' /* length 5 */ + '0f000000' /* id 15 */ + '0a03626f62' /* 1 UserID "bob" */ }),
  row({ name: 'GetUserListResponse with a non-ASCII NickName', message: 'GetUserListResponse', id: 16,
    fields: { Result: { Code: 1 }, UserList: [{ UserID: 'alice', NickName: 'Zoë' }] },
    hex: '13000000' /* length 19 */ + '10000000' /* id 16 */ + '0a020801' /* 1 Result {Code 1} */
      + '120d' /* 2 UserList[0], len 13 */ + '0a05616c696365' /* UserID "alice" */
      + '1204' + '5a6fc3ab' /* NickName, len 4 bytes for 3 chars: "Zo", U+00EB as c3 ab */ }),
  row({ name: 'AddFriendsRequest with repeated UserIDList', message: 'AddFriendsRequest', id: 17,
    fields: { UserID: 'alice', UserIDList: ['bob', 'carol'] },
    hex: '13000000' /* length 19 */ + '11000000' /* id 17 */ + '0a05616c696365' /* 1 UserID */
      + '1203626f62' /* 2 UserIDList[0] "bob" */ + '12056361726f6c' /* 2 UserIDList[1] "carol" */ }),
  row({ name: 'AddFriendsResponse Failure (Code 0 omitted) with Msg', message: 'AddFriendsResponse', id: 18,
    fields: { Result: { Msg: 'nope' } },
    hex: '08000000' /* length 8 */ + '12000000' /* id 18 */ + '0a06' /* 1 Result, len 6 */ + '12046e6f7065' /* Msg "nope" */ }),
  row({ name: 'HeartbeatRequest', message: 'HeartbeatRequest', id: 19, fields: { UserID: 'alice' },
    hex: '07000000' /* length 7 */ + '13000000' /* id 19 */ + '0a05616c696365' /* 1 UserID "alice" */ }),
  row({ name: 'HeartbeatResponse with an empty body', message: 'HeartbeatResponse', id: 20, fields: {},
    hex: '00000000' /* length 0 */ + '14000000' /* id 20 */ }),
  row({ name: 'HeartbeatResponse with an empty body, be layout', message: 'HeartbeatResponse', id: 20, layout: 'be', fields: {},
    hex: '00000014' /* id 20 */ + '00000000' /* length 0 */ }),
  row({ name: 'HeartbeatResponse with an empty nested Result', message: 'HeartbeatResponse', id: 20, fields: { Result: {} },
    hex: '02000000' /* length 2 */ + '14000000' /* id 20 */ + '0a00' /* 1 Result, len 0 */ }),
  row({ name: 'UploadFileRequest', message: 'UploadFileRequest', id: 21,
    fields: { FromUserID: 'alice', ToUserID: 'bob', UserType: 1, fileName: 'a.txt', Data: new TextEncoder().encode('hello\n') },
    hex: '1d000000' /* length 29 */ + '15000000' /* id 21 */
      + '0a05616c696365' /* 1 FromUserID */ + '1203626f62' /* 2 ToUserID */ + '1801' /* 3 UserType 1 */
      + '2205612e747874' /* 4 fileName "a.txt" */ + '2a06' + '68656c6c6f0a' /* 5 Data, len 6, "hello\n" */ }),
  row({ name: 'UploadFileResponse', message: 'UploadFileResponse', id: 22,
    fields: { Result: { Code: 1 }, FileName: 'a.txt', DownUrl: 'http://h/res/a.txt' },
    hex: '1f000000' /* length 31 */ + '16000000' /* id 22 */ + '0a020801' /* 1 Result {Code 1} */
      + '1205612e747874' /* 2 FileName "a.txt" */
      + '1a12' + '687474703a2f2f' + '682f7265732f' + '612e747874' /* 3 DownUrl, len 18, "http://" "h/res/" "a.txt" */ }),
  row({ name: 'GetFileListRequest', message: 'GetFileListRequest', id: 23, fields: { UserID: 'alice', UserType: 2 },
    hex: '09000000' /* length 9 */ + '17000000' /* id 23 */ + '0a05616c696365' /* 1 UserID */ + '1002' /* 2 UserType 2 */ }),
  row({ name: 'GetFileListResponse with repeated DownFileInfo', message: 'GetFileListResponse', id: 24,
    fields: { Result: { Code: 1 }, FileList: [
      { UserID: 'alice', FileSize: 300, FileName: 'a.txt', DownUrl: '/res/a.txt' }, { FileName: 'b' }] },
    hex: '28000000' /* length 40 */ + '18000000' /* id 24 */ + '0a020801' /* 1 Result {Code 1} */
      + '121d' /* 2 FileList[0], len 29 */ + '0a05616c696365' /* UserID */ + '10ac02' /* FileSize varint 300 */
      + '1a05612e747874' /* FileName "a.txt" */ + '220a' + '2f7265732f612e747874' /* DownUrl "/res/a.txt" */
      + '1203' + '1a0162' /* 2 FileList[1], len 3: FileName "b" */ }),
];
