// Strict JSON syntax check over UTF-8 bytes, run before assemblyscript-json's parser: that parser
// traps (or, built with --noAssert, misreads) on malformed input, and hooks must never trap.
// No allocation except the error message.

const MAX_DEPTH: i32 = 64;

/** Result of `checkJson`: `offset` is -1 when the text is valid JSON. */
export class JsonCheck {
  constructor(public offset: i32, public message: string) {}
  get ok(): bool { return this.offset < 0; }
}

class Scanner {
  pos: i32 = 0;
  error: string = "";
  constructor(public base: usize, public len: i32) {}

  peek(): i32 { return this.pos < this.len ? <i32>load<u8>(this.base + <usize>this.pos) : -1; }

  fail(message: string): bool {
    if (this.error.length == 0) this.error = message;
    return false;
  }

  skipSpace(): void {
    while (this.pos < this.len) {
      const c = this.peek();
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  value(depth: i32): bool {
    if (depth > MAX_DEPTH) return this.fail("nesting deeper than " + MAX_DEPTH.toString());
    this.skipSpace();
    const c = this.peek();
    if (c == 0x7b) return this.object(depth + 1);
    if (c == 0x5b) return this.array(depth + 1);
    if (c == 0x22) return this.string();
    if (c == 0x74) return this.literal("true");
    if (c == 0x66) return this.literal("false");
    if (c == 0x6e) return this.literal("null");
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail(c < 0 ? "unexpected end of input" : "expected a JSON value");
  }

  object(depth: i32): bool {
    this.pos++; // {
    this.skipSpace();
    if (this.peek() == 0x7d) { this.pos++; return true; }
    while (true) {
      this.skipSpace();
      if (this.peek() != 0x22) return this.fail("expected a string key");
      if (!this.string()) return false;
      this.skipSpace();
      if (this.peek() != 0x3a) return this.fail("expected ':'");
      this.pos++;
      if (!this.value(depth)) return false;
      this.skipSpace();
      const c = this.peek();
      if (c == 0x2c) { this.pos++; continue; }
      if (c == 0x7d) { this.pos++; return true; }
      return this.fail("expected ',' or '}'");
    }
    return false;
  }

  array(depth: i32): bool {
    this.pos++; // [
    this.skipSpace();
    if (this.peek() == 0x5d) { this.pos++; return true; }
    while (true) {
      if (!this.value(depth)) return false;
      this.skipSpace();
      const c = this.peek();
      if (c == 0x2c) { this.pos++; continue; }
      if (c == 0x5d) { this.pos++; return true; }
      return this.fail("expected ',' or ']'");
    }
    return false;
  }

  string(): bool {
    this.pos++; // "
    while (true) {
      const c = this.peek();
      if (c < 0) return this.fail("unterminated string");
      if (c < 0x20) return this.fail("control character in string");
      this.pos++;
      if (c == 0x22) return true;
      if (c == 0x5c) {
        const e = this.peek();
        this.pos++;
        if (e == 0x75) {
          for (let i = 0; i < 4; i++) {
            const h = this.peek();
            const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
            if (!hex) return this.fail("bad \\u escape");
            this.pos++;
          }
        } else if (e != 0x22 && e != 0x5c && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) {
          return this.fail("bad escape");
        } else if (e == 0x66) {
          // \f is valid JSON but assemblyscript-json 1.1.0 does not decode it
          return this.fail("\\f escape not supported");
        }
      }
    }
    return false;
  }

  digits(): i32 {
    let n = 0;
    while (this.peek() >= 0x30 && this.peek() <= 0x39) { this.pos++; n++; }
    return n;
  }

  number(): bool {
    if (this.peek() == 0x2d) this.pos++;
    if (this.peek() == 0x30) this.pos++;
    else if (this.digits() == 0) return this.fail("bad number");
    if (this.peek() == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail("bad number");
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const s = this.peek();
      if (s == 0x2b || s == 0x2d) this.pos++;
      if (this.digits() == 0) return this.fail("bad number");
    }
    const next = this.peek();
    if (next >= 0x30 && next <= 0x39) return this.fail("bad number");
    return true;
  }

  literal(word: string): bool {
    for (let i = 0; i < word.length; i++) {
      if (this.peek() != word.charCodeAt(i)) return this.fail("expected '" + word + "'");
      this.pos++;
    }
    return true;
  }
}

/** Check that `bytes[0..len)` is exactly one JSON value (surrounding whitespace allowed). */
export function checkJson(base: usize, len: i32): JsonCheck {
  const s = new Scanner(base, len);
  if (!s.value(0)) return new JsonCheck(s.pos, s.error);
  s.skipSpace();
  if (s.pos != len) return new JsonCheck(s.pos, "unexpected text after the JSON value");
  return new JsonCheck(-1, "");
}
