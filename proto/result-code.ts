// The Result code of a response body without decoding the rest of it. A client that only needs to
// know whether a GetUserListResponse of a thousand users succeeded should not decode a thousand
// UserInfo messages. Every paired response carries its Result in field 1 [IM-MSG-1].

/** A varint's low 32 bits (as an unsigned number) and where it ends; up to 10 bytes, as protobuf allows. */
function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] | null {
  let value = 0;
  for (let i = at, shift = 0; i < bytes.length && i < at + 10; i++, shift += 7) {
    const b = bytes[i]!;
    if (shift < 32) value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value % 2 ** 32, i + 1];
  }
  return null;
}

/**
 * The Code of the Result in field 1 of a response body: 0 (Failure) when the field or its Code is
 * absent (proto3 defaults), null when the bytes are not well-formed protobuf as far as they are read.
 */
export function resultCodeOf(body: Uint8Array): number | null {
  let at = 0;
  while (at < body.length) {
    const tag = readVarint(body, at);
    if (!tag) return null;
    const [key, afterTag] = tag;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 2) {
      const len = readVarint(body, afterTag);
      if (!len || len[1] + len[0] > body.length) return null;
      if (field === 1) return codeInResult(body.subarray(len[1], len[1] + len[0]));
      at = len[1] + len[0];
    } else if (wire === 0) {
      const v = readVarint(body, afterTag);
      if (!v) return null;
      at = v[1];
    } else if (wire === 1) {
      at = afterTag + 8;
    } else if (wire === 5) {
      at = afterTag + 4;
    } else {
      return null;
    }
  }
  return at === body.length ? 0 : null;
}

function codeInResult(result: Uint8Array): number | null {
  let at = 0;
  let code = 0;
  while (at < result.length) {
    const tag = readVarint(result, at);
    if (!tag) return null;
    const [key, afterTag] = tag;
    const wire = key & 7;
    if (wire === 0) {
      const v = readVarint(result, afterTag);
      if (!v) return null;
      if (key >>> 3 === 1) code = v[0] > 0x7fffffff ? v[0] - 2 ** 32 : v[0];
      at = v[1];
    } else if (wire === 2) {
      const len = readVarint(result, afterTag);
      if (!len || len[1] + len[0] > result.length) return null;
      at = len[1] + len[0];
    } else if (wire === 1) {
      at = afterTag + 8;
    } else if (wire === 5) {
      at = afterTag + 4;
    } else {
      return null;
    }
  }
  return at === result.length ? code : null;
}
