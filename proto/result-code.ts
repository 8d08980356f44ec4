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

interface Field {
  number: number;
  /** Varint fields: the value's low 32 bits. */
  varint: number;
  /** Length-delimited fields: the bytes. */
  bytes: Uint8Array | null;
  next: number;
}

/** The field at `at`, or null when the bytes are not well-formed protobuf there. */
function readField(bytes: Uint8Array, at: number): Field | null {
  const tag = readVarint(bytes, at);
  if (!tag) return null;
  const [key, afterTag] = tag;
  const number = Math.floor(key / 8);
  switch (key & 7) {
    case 0: {
      const v = readVarint(bytes, afterTag);
      return v && { number, varint: v[0], bytes: null, next: v[1] };
    }
    case 2: {
      const len = readVarint(bytes, afterTag);
      if (!len || len[1] + len[0] > bytes.length) return null;
      return { number, varint: 0, bytes: bytes.subarray(len[1], len[1] + len[0]), next: len[1] + len[0] };
    }
    case 1: return afterTag + 8 <= bytes.length ? { number, varint: 0, bytes: null, next: afterTag + 8 } : null;
    case 5: return afterTag + 4 <= bytes.length ? { number, varint: 0, bytes: null, next: afterTag + 4 } : null;
    default: return null;
  }
}

/** The last occurrence of field `number` (protobuf's rule for repeated scalars), walking every field. */
function findField(bytes: Uint8Array, number: number): Field | undefined | null {
  let found: Field | undefined;
  for (let at = 0; at < bytes.length;) {
    const field = readField(bytes, at);
    if (!field) return null;
    if (field.number === number) found = field;
    at = field.next;
  }
  return found;
}

/**
 * The Code of the Result in field 1 of a response body: 0 (Failure) when the field or its Code is
 * absent (proto3 defaults), null when the bytes are not well-formed protobuf.
 */
export function resultCodeOf(body: Uint8Array): number | null {
  const result = findField(body, 1);
  if (result === null) return null;
  if (!result?.bytes) return 0;
  const code = findField(result.bytes, 1);
  if (code === null) return null;
  // int32 on the wire: a negative code is the low 32 bits of a 10-byte varint.
  return code ? (code.varint > 0x7fffffff ? code.varint - 2 ** 32 : code.varint) : 0;
}
