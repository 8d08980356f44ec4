// The 24 IM message ids [IM-MSG-2]: odd ids travel from the client, even ids are replies or pushes.

export const MessageId = {
  LoginRequest: 1,
  LoginResponse: 2,
  RegisterRequest: 3,
  RegisterResponse: 4,
  GetFriendsRequest: 5,
  GetFriendsResponse: 6,
  UserOfflineRequest: 7,
  UserOfflineNotice: 8,
  ChangeStatusRequest: 9,
  ChangeStatusNotice: 10,
  UpdateUserInfoRequest: 11,
  UpdateUserInfoResponse: 12,
  FriendChatRequest: 13,
  FriendChatNotice: 14,
  GetUserListRequest: 15,
  GetUserListResponse: 16,
  AddFriendsRequest: 17,
  AddFriendsResponse: 18,
  HeartbeatRequest: 19,
  HeartbeatResponse: 20,
  UploadFileRequest: 21,
  UploadFileResponse: 22,
  GetFileListRequest: 23,
  GetFileListResponse: 24,
} as const;

export type MessageName = keyof typeof MessageId;
export type MessageIdNumber = (typeof MessageId)[MessageName];

const NAMES = new Map<number, MessageName>(
  (Object.entries(MessageId) as [MessageName, MessageIdNumber][]).map(([name, id]) => [id, name]),
);

export function isMessageId(id: number): id is MessageIdNumber {
  return NAMES.has(id);
}

export function messageName(id: number): string {
  return NAMES.get(id) ?? `unknown(${id})`;
}

/** Every id sent by clients: odd, 1 to 23. */
export const REQUEST_IDS: readonly MessageIdNumber[] = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23];

/**
 * The id a server answers a request with [IM-REPLY-1], or null for the three requests answered by
 * effect alone: logout (7), status change (9) and friend chat (13), whose even ids are pushes to others.
 */
export function responseIdFor(requestId: number): MessageIdNumber | null {
  switch (requestId) {
    case MessageId.UserOfflineRequest:
    case MessageId.ChangeStatusRequest:
    case MessageId.FriendChatRequest:
      return null;
    default:
      return isMessageId(requestId) && requestId % 2 === 1 ? ((requestId + 1) as MessageIdNumber) : null;
  }
}

/** Result codes [IM-MSG-4]. */
export const ResultCode = {
  Failure: 0,
  Success: 1,
  UserExists: 2,
  RepeatLogin: 3,
  UserNotExists: 4,
  WrongPassword: 5,
} as const;
export type ResultCodeValue = (typeof ResultCode)[keyof typeof ResultCode];

/** User status values [IM-MSG-3]. */
export const UserStatus = {
  QMe: 1,
  Online: 2,
  Away: 3,
  Busy: 4,
  DoNotDisturb: 5,
  Offline: 6,
} as const;
export type UserStatusValue = (typeof UserStatus)[keyof typeof UserStatus];
