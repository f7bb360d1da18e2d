// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// FNV-1a, 32-bit, over the UTF-8 encoding of a string range, without allocating.
//
//   h = 0x811c9dc5
//   for each byte b: h = (h XOR b) * 0x01000193   (mod 2^32)
//
// For a value that arrived as valid UTF-8 the bytes hashed are exactly the bytes received.
// (Invalid UTF-8 reaches the filter already decoded with U+FFFD replacement characters; those
// are hashed as their UTF-8 encoding EF BF BD.) Lone surrogates are hashed as U+FFFD as well.

export const FNV_OFFSET: u32 = 0x811c9dc5;
export const FNV_PRIME: u32 = 0x01000193;

export function fnv1aByte(h: u32, b: u32): u32 {
  return (h ^ (b & 0xff)) * FNV_PRIME;
}

/** Continues hash `h` over the UTF-8 bytes of s[start, end). */
export function fnv1aUpdate(h: u32, s: string, start: i32, end: i32): u32 {
  let i = start;
  while (i < end) {
    let c = <u32>s.charCodeAt(i++);
    if (c >= 0xd800 && c < 0xdc00 && i < end) {
      const d = <u32>s.charCodeAt(i);
      if (d >= 0xdc00 && d < 0xe000) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xd800 && c < 0xe000) {
      c = 0xfffd;
    }
    if (c < 0x80) {
      h = fnv1aByte(h, c);
    } else if (c < 0x800) {
      h = fnv1aByte(h, 0xc0 | (c >> 6));
      h = fnv1aByte(h, 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      h = fnv1aByte(h, 0xe0 | (c >> 12));
      h = fnv1aByte(h, 0x80 | ((c >> 6) & 0x3f));
      h = fnv1aByte(h, 0x80 | (c & 0x3f));
    } else {
      h = fnv1aByte(h, 0xf0 | (c >> 18));
      h = fnv1aByte(h, 0x80 | ((c >> 12) & 0x3f));
      h = fnv1aByte(h, 0x80 | ((c >> 6) & 0x3f));
      h = fnv1aByte(h, 0x80 | (c & 0x3f));
    }
  }
  return h;
}

/** FNV-1a 32 of the whole string's UTF-8 bytes. */
export function fnv1a(s: string): u32 {
  return fnv1aUpdate(FNV_OFFSET, s, 0, s.length);
}
