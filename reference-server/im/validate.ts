// Limits on what clients may store [IM-REG-2]. The originals set none; these keep one client from
// filling the store and keep every value printable in a list.

export const LIMITS = {
  userIdChars: 64,
  passwordBytes: 1024,
  nickNameChars: 64,
  signatureChars: 256,
  headImageUrlChars: 2048,
  avatarBytes: 2 * 1024 * 1024,
  fileNameChars: 255,
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Null when `userId` is acceptable, otherwise why not. */
export function userIdProblem(userId: string): string | null {
  if (userId.length === 0) return 'UserID is empty';
  if ([...userId].length > LIMITS.userIdChars) return `UserID is longer than ${LIMITS.userIdChars} characters`;
  if (CONTROL.test(userId)) return 'UserID contains control characters';
  if (userId.trim() !== userId) return 'UserID starts or ends with white space';
  return null;
}

export function textProblem(field: string, value: string, maxChars: number): string | null {
  if ([...value].length > maxChars) return `${field} is longer than ${maxChars} characters`;
  if (CONTROL.test(value)) return `${field} contains control characters`;
  return null;
}

/** A valid presence a client may choose: 1-5. Offline (6) is the server's word for disconnected. */
export function isChoosableStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 1 && status <= 5;
}

/** The client's file name reduced to a safe display name: its last path part, no control characters. */
export function displayFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const chars = [...clean];
  const safe = chars.slice(0, LIMITS.fileNameChars).join('');
  return safe === '' || safe === '.' || safe === '..' ? 'file' : safe;
}
