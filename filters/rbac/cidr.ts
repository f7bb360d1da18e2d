// IP addresses and CIDR ranges for IPv4 and IPv6, without allocation on the match path.
// An address is 128 bits (hi, lo); IPv4 addresses are kept as IPv4 (v4 = true, value in the low 32 bits).
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are folded to IPv4 so that a dual-stack listener
// cannot be used to slip past an IPv4 block.

export class IpAddress {
  hi: u64 = 0;
  lo: u64 = 0;
  v4: bool = false;
}

export class CidrRange {
  constructor(public base: IpAddress, public prefix: i32) {}

  /** Whether `ip` lies in this range (families must agree after IPv4-mapped folding). */
  contains(ip: IpAddress): bool {
    if (ip.v4 != this.base.v4) return false;
    if (this.base.v4) {
      if (this.prefix == 0) return true;
      const mask: u64 = (0xffffffff << (32 - this.prefix)) & 0xffffffff;
      return (ip.lo & mask) == (this.base.lo & mask);
    }
    return maskedEqual(ip.hi, this.base.hi, this.prefix) &&
      maskedEqual(ip.lo, this.base.lo, this.prefix - 64);
  }
}

function maskedEqual(a: u64, b: u64, bits: i32): bool {
  if (bits <= 0) return true;
  if (bits >= 64) return a == b;
  const mask: u64 = ~(<u64>0) << (64 - bits);
  return (a & mask) == (b & mask);
}

function hexDigit(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses dotted-quad s[start:end) into out.lo; strict: 4 parts, 0-255, no leading zeros. */
function parseIpv4Into(s: string, start: i32, end: i32, out: IpAddress): bool {
  let parts = 0;
  let value: u64 = 0;
  let i = start;
  while (i <= end) {
    let n = 0;
    let digits = 0;
    const first = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      digits++;
      if (digits > 3) return false;
      i++;
    }
    if (digits == 0 || n > 255) return false;
    if (digits > 1 && s.charCodeAt(first) == 48) return false;
    value = (value << 8) | <u64>n;
    parts++;
    if (i == end) break;
    if (s.charCodeAt(i) != 46 || parts == 4) return false;
    i++;
  }
  if (parts != 4) return false;
  out.v4 = true;
  out.hi = 0;
  out.lo = value;
  return true;
}

/** Parses an IPv6 literal s[start:end) (no brackets, no zone). */
function parseIpv6Into(s: string, start: i32, end: i32, out: IpAddress): bool {
  const groups = new StaticArray<u32>(8);
  let count = 0;
  let gap = -1; // index in groups where "::" was
  let i = start;
  if (end - start < 2) return false;
  if (s.charCodeAt(i) == 58) {
    if (s.charCodeAt(i + 1) != 58) return false;
    gap = 0;
    i += 2;
    if (i == end) return finishIpv6(groups, count, gap, out);
  }
  while (i < end) {
    // embedded IPv4 in the last 32 bits
    let j = i;
    let hasDot = false;
    while (j < end && s.charCodeAt(j) != 58) {
      if (s.charCodeAt(j) == 46) hasDot = true;
      j++;
    }
    if (hasDot) {
      if (j != end || count > 6) return false;
      const v4 = new IpAddress();
      if (!parseIpv4Into(s, i, end, v4)) return false;
      groups[count++] = <u32>(v4.lo >> 16);
      groups[count++] = <u32>(v4.lo & 0xffff);
      i = end;
      break;
    }
    const len = j - i;
    if (len == 0 || len > 4 || count == 8) return false;
    let g: u32 = 0;
    for (let k = i; k < j; k++) {
      const d = hexDigit(s.charCodeAt(k));
      if (d < 0) return false;
      g = (g << 4) | <u32>d;
    }
    groups[count++] = g;
    i = j;
    if (i == end) break;
    // at ':'
    i++;
    if (i < end && s.charCodeAt(i) == 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i == end) break;
    } else if (i == end) {
      return false; // trailing single ':'
    }
  }
  return finishIpv6(groups, count, gap, out);
}

function finishIpv6(groups: StaticArray<u32>, count: i32, gap: i32, out: IpAddress): bool {
  const full = new StaticArray<u32>(8);
  if (gap < 0) {
    if (count != 8) return false;
    for (let k = 0; k < 8; k++) full[k] = groups[k];
  } else {
    if (count > 7) return false;
    for (let k = 0; k < gap; k++) full[k] = groups[k];
    const tail = count - gap;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
  }
  let hi: u64 = 0;
  let lo: u64 = 0;
  for (let k = 0; k < 4; k++) hi = (hi << 16) | <u64>full[k];
  for (let k = 4; k < 8; k++) lo = (lo << 16) | <u64>full[k];
  if (hi == 0 && (lo >> 32) == 0xffff) {
    out.v4 = true;
    out.hi = 0;
    out.lo = lo & 0xffffffff;
    return true;
  }
  out.v4 = false;
  out.hi = hi;
  out.lo = lo;
  return true;
}

/** Parses a bare IPv4 or IPv6 address (no port, no brackets). */
export function parseIp(s: string, out: IpAddress): bool {
  return parseIpRange(s, 0, s.length, out);
}

function parseIpRange(s: string, start: i32, end: i32, out: IpAddress): bool {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) == 58) return parseIpv6Into(s, start, end, out);
  }
  return parseIpv4Into(s, start, end, out);
}

/**
 * Parses an address as Envoy prints it: `1.2.3.4:80`, `[::1]:80`, or without a port (`1.2.3.4`, `::1`, `[::1]`).
 * Leading/trailing spaces (x-forwarded-for entries) are ignored.
 */
export function parseAddress(s: string, start: i32, end: i32, out: IpAddress): bool {
  while (start < end && s.charCodeAt(start) == 32) start++;
  while (end > start && s.charCodeAt(end - 1) == 32) end--;
  if (end <= start) return false;
  if (s.charCodeAt(start) == 91) { // '['
    let close = -1;
    for (let i = start + 1; i < end; i++) {
      if (s.charCodeAt(i) == 93) { close = i; break; }
    }
    if (close < 0) return false;
    if (close + 1 != end && !isPort(s, close + 1, end)) return false;
    return parseIpv6Into(s, start + 1, close, out);
  }
  let colons = 0;
  let last = -1;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) == 58) { colons++; last = i; }
  }
  if (colons == 1) {
    if (!isPort(s, last, end)) return false;
    return parseIpv4Into(s, start, last, out);
  }
  return parseIpRange(s, start, end, out);
}

/** s[start] is ':' followed by 1..5 digits up to end. */
function isPort(s: string, start: i32, end: i32): bool {
  if (s.charCodeAt(start) != 58) return false;
  const n = end - start - 1;
  if (n < 1 || n > 5) return false;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, `x::y`, `x::y/n` (Istio ipBlocks syntax); null if invalid. */
export function parseCidr(s: string): CidrRange | null {
  const slash = s.indexOf("/");
  const base = new IpAddress();
  const ipEnd = slash < 0 ? s.length : slash;
  if (!parseIpRange(s, 0, ipEnd, base)) return null;
  // A mapped IPv6 literal folds to IPv4; its prefix is then relative to 128 bits.
  const literalIsV6 = s.substring(0, ipEnd).indexOf(":") >= 0;
  let prefix = base.v4 && !literalIsV6 ? 32 : 128;
  if (slash >= 0) {
    const digits = s.length - slash - 1;
    if (digits < 1 || digits > 3) return null;
    let n = 0;
    for (let i = slash + 1; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      n = n * 10 + (c - 48);
    }
    prefix = n;
  }
  if (base.v4 && literalIsV6) {
    if (prefix < 96 || prefix > 128) return null;
    prefix -= 96;
  }
  if (prefix > (base.v4 ? 32 : 128)) return null;
  return new CidrRange(base, prefix);
}

/** Whether any range in `ranges` contains ip. */
export function anyContains(ranges: CidrRange[], ip: IpAddress): bool {
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i].contains(ip)) return true;
  }
  return false;
}
