// Every IM request handler. Adding a request kind is one file and one line here.
import type { ImHandler } from '../handler.js';
import { addFriends } from './add-friends.js';
import { changeStatus } from './change-status.js';
import { friendChat } from './friend-chat.js';
import { getFileList } from './get-file-list.js';
import { getFriends } from './get-friends.js';
import { getUserList } from './get-user-list.js';
import { heartbeat } from './heartbeat.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { register } from './register.js';
import { updateUserInfo } from './update-user-info.js';
import { uploadFile } from './upload-file.js';

export const IM_HANDLERS = [
  login, register, getFriends, logout, changeStatus, updateUserInfo,
  friendChat, getUserList, addFriends, heartbeat, uploadFile, getFileList,
] as unknown as readonly ImHandler[];
