// IM mutants of stored data [D-MUTANTS]: the reference server behind the mutating proxy, with one
// bug in accounts, friends, profiles or files (docs/PROTOCOL.md sections 5 and 7): a registration
// repaired instead of refused or stored without its profile, a friend list unsorted or someone
// else's, a profile update lost, a file served under its client's name or listed wrong. Where the bug
// needs the server to know what the proxy cannot ask it (whose friends, whose files), the proxy keeps
// that from the traffic it saw (18 and 22 Success).
import { randomBytes } from 'node:crypto';
import { MessageId, ResultCode, UserStatus } from '../../../proto/index.js';
import { SUCCESS, codeOf, fieldsOf, frameOf, friendships, imMutant, rewritten, type Mutant } from './mutant.js';
import { tryDecode } from './mutating-proxy.js';

// --- accounts [IM-REG-1, IM-REG-2] --------------------------------------------------------------------

/** Characters [IM-REG-2] forbids in a UserID, NickName or Signature. */
const CONTROL = /[\u0000-\u001f\u007f]/g;

const registerSanitizes = imMutant({
  name: 'im-register-sanitizes',
  areas: ['im.register.'],
  bug: 'repairs a registration that breaks the field limits (trims, cuts, fills in) and creates the account, instead of refusing it [IM-REG-2]',
  hooks: () => ({
    clientFrame(frame) {
      if (frame.id !== MessageId.RegisterRequest || tryDecode(frame) === null) return 'forward';
      const f = fieldsOf(frame) as { UserID?: string; Password?: string; NickName?: string; Signature?: string; HeadImageData?: Uint8Array };
      const user = [...(f.UserID ?? '').replace(CONTROL, '').trim()].slice(0, 64).join('') || `anon${randomBytes(4).toString('hex')}`;
      return [rewritten(frame, {
        UserID: user,
        Password: Buffer.from(f.Password || 'password').subarray(0, 1024).toString(),
        NickName: [...(f.NickName ?? '').replace(CONTROL, '')].slice(0, 64).join(''),
        Signature: [...(f.Signature ?? '').replace(CONTROL, '')].slice(0, 256).join(''),
        HeadImageData: (f.HeadImageData ?? new Uint8Array(0)).subarray(0, 2 * 1024 * 1024),
      })];
    },
  }),
});

const registerDropsProfile = imMutant({
  name: 'im-register-drops-profile',
  areas: ['im.register.success'],
  bug: 'creates the account without the NickName, Signature and avatar it was given [IM-REG-1] [IM-REG-4]',
  hooks: () => ({
    clientFrame: (frame) => (frame.id === MessageId.RegisterRequest && tryDecode(frame) !== null
      ? [rewritten(frame, { NickName: '', Signature: '', HeadImageData: new Uint8Array(0) })] : 'forward'),
  }),
});

// --- friends and profile [IM-FRIENDS-1, IM-FRIENDS-2, IM-INFO-1, IM-AUTH-2] ---------------------------

const friendsUnsorted = imMutant({
  name: 'im-friends-unsorted',
  areas: ['im.friends.'],
  bug: 'lists friends in reverse UserID order [IM-FRIENDS-1]',
  hooks: () => ({
    serverFrame(frame) {
      if (frame.id !== MessageId.GetFriendsResponse) return 'forward';
      const friends = (tryDecode(frame) as { Friends?: unknown[] } | null)?.Friends ?? [];
      return friends.length < 2 ? 'forward' : [rewritten(frame, { Friends: [...friends].reverse() })];
    },
  }),
});

const addFriendsLenient = imMutant({
  name: 'im-add-friends-lenient',
  areas: ['im.friends.'],
  bug: 'answers 18 Success to an empty UserIDList and leaves out the requester\'s own UserID instead of refusing [IM-FRIENDS-2]',
  hooks: () => ({
    clientFrame(frame, conn) {
      const me = conn.loggedInAs;
      const list = frame.id === MessageId.AddFriendsRequest ? (tryDecode(frame) as { UserIDList?: string[] } | null)?.UserIDList : undefined;
      if (me === null || list === undefined || (list.length > 0 && !list.includes(me))) return 'forward';
      const others = list.filter((u) => u !== me);
      if (others.length > 0) return [rewritten(frame, { UserIDList: others })];
      // Nothing to do, and Success for it: a heartbeat holds the reply's place in the order [IM-FRAME-5].
      return { frames: [frameOf(MessageId.HeartbeatRequest, {})], onReply: () => [frameOf(MessageId.AddFriendsResponse, { Result: SUCCESS })] };
    },
  }),
});

const friendsTrustUserId = imMutant({
  name: 'im-friends-trust-user-id',
  areas: ['im.friends.'],
  bug: 'lists the friends of the UserID a GetFriendsRequest names, not the session user\'s [IM-AUTH-2] [IM-FRIENDS-1]',
  hooks: (proxy) => {
    const friends = friendships();
    return {
      clientFrame(frame, conn) {
        const watched = friends.watch(frame, conn);
        if (watched) return watched;
        const named = frame.id === MessageId.GetFriendsRequest ? (tryDecode(frame) as { UserID?: string } | null)?.UserID : undefined;
        if (named === undefined || named === '' || named === conn.loggedInAs) return 'forward';
        const theirs = friends.of(named).map((u) => ({ UserID: u, Status: proxy().loggedIn(u).length > 0 ? UserStatus.Online : UserStatus.Offline }));
        return { frames: [frame], onReply: (reply) => (codeOf(reply) === ResultCode.Success ? [rewritten(reply, { Friends: theirs })] : 'forward') };
      },
    };
  },
});

const userInfoNotSaved = imMutant({
  name: 'im-userinfo-not-saved',
  areas: ['im.userinfo.visible'],
  bug: 'answers an UpdateUserInfoRequest 12 Success and changes nothing [IM-INFO-1]',
  hooks: () => ({
    clientFrame: (frame, conn) => (frame.id === MessageId.UpdateUserInfoRequest && conn.loggedInAs !== null
      ? { frames: [frameOf(MessageId.HeartbeatRequest, {})], onReply: () => [frameOf(MessageId.UpdateUserInfoResponse, { Result: SUCCESS })] }
      : 'forward'),
  }),
});

// --- files [IM-FILE-1..5, IM-AUTH-2] ----------------------------------------------------------------

type FileInfo = { UserID: string; FileSize: number; FileName: string; DownUrl: string };

const fileNameAsPath = imMutant({
  name: 'im-file-name-as-path',
  areas: ['im.file.'],
  bug: 'serves an upload under the client\'s fileName: DownUrl is PUBLIC/res/files/<fileName as given>, which the server does not serve [IM-FILE-2] [IM-FILE-5]',
  hooks: () => {
    /** The server's DownUrl of each upload, and the one this server hands out instead. */
    const urls = new Map<string, string>();
    const renamed = (url: string): string => urls.get(url) ?? url;
    return {
      clientFrame(frame) {
        const name = frame.id === MessageId.UploadFileRequest ? (tryDecode(frame) as { fileName?: string } | null)?.fileName : undefined;
        if (name === undefined) return 'forward';
        return {
          frames: [frame],
          onReply(reply) {
            const { DownUrl } = fieldsOf(reply) as { DownUrl?: string };
            if (codeOf(reply) !== ResultCode.Success || !DownUrl) return 'forward';
            urls.set(DownUrl, `${new URL(DownUrl).origin}/res/files/${name}`);
            return [rewritten(reply, { DownUrl: renamed(DownUrl) })];
          },
        };
      },
      serverFrame(frame) {
        if (frame.id !== MessageId.GetFileListResponse) return 'forward';
        const list = (fieldsOf(frame).FileList ?? []) as FileInfo[];
        return [rewritten(frame, { FileList: list.map((f) => ({ ...f, DownUrl: renamed(f.DownUrl) })) })];
      },
    };
  },
});

const fileListUploadsOnly = imMutant({
  name: 'im-file-list-uploads-only',
  areas: ['im.file.'],
  bug: 'lists only the files a user uploaded, not those sent to it [IM-FILE-4]',
  hooks: () => ({
    serverFrame(frame, conn) {
      if (frame.id !== MessageId.GetFileListResponse) return 'forward';
      const list = (fieldsOf(frame).FileList ?? []) as FileInfo[];
      return [rewritten(frame, { FileList: list.filter((f) => f.UserID === conn.loggedInAs) })];
    },
  }),
});

const fileListTrustsUserId = imMutant({
  name: 'im-file-list-trusts-user-id',
  areas: ['im.file.'],
  bug: 'lists the files of the UserID a GetFileListRequest names, not the session user\'s [IM-AUTH-2] [IM-FILE-4]',
  hooks: () => {
    /** Each user's files as the server listed them at upload: the uploader's and the addressee's. */
    const files = new Map<string, FileInfo[]>();
    const add = (user: string, f: FileInfo): void => { if (user !== '') files.set(user, [...(files.get(user) ?? []), f]); };
    return {
      clientFrame(frame, conn) {
        const me = conn.loggedInAs;
        const request = tryDecode(frame) as { UserID?: string; ToUserID?: string; Data?: Uint8Array } | null;
        if (me === null || request === null) return 'forward';
        if (frame.id === MessageId.UploadFileRequest) {
          return {
            frames: [frame],
            onReply(reply) {
              const r = fieldsOf(reply) as { FileName?: string; DownUrl?: string };
              if (codeOf(reply) !== ResultCode.Success) return 'forward';
              const info = { UserID: me, FileSize: request.Data?.length ?? 0, FileName: r.FileName ?? '', DownUrl: r.DownUrl ?? '' };
              add(me, info);
              if (request.ToUserID && request.ToUserID !== me) add(request.ToUserID, info);
              return 'forward';
            },
          };
        }
        const named = request.UserID ?? '';
        if (frame.id !== MessageId.GetFileListRequest || named === '' || named === me) return 'forward';
        return { frames: [frame], onReply: (reply) => (codeOf(reply) === ResultCode.Success ? [rewritten(reply, { FileList: [...(files.get(named) ?? [])].reverse() })] : 'forward') };
      },
    };
  },
});

export const IM_DATA_MUTANTS: readonly Mutant[] = [
  registerSanitizes, registerDropsProfile, friendsUnsorted, addFriendsLenient, friendsTrustUserId, userInfoNotSaved,
  fileNameAsPath, fileListUploadsOnly, fileListTrustsUserId,
];
