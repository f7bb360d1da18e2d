// Allocation-free parsers for the x-envoy-fault-* header values and fixedDelay durations.

/** Non-negative decimal integer (digits only, at most 10 digits, ≤ 2^32-1), or -1. */
export function parseUint32(s: string): i64 {
  const n = s.length;
  if (n == 0 || n > 10) return -1;
  let v: i64 = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v > 0xffffffff ? -1 : v;
}

/**
 * Non-negative decimal number "12", "0.5", "12.25" scaled by `scale` (a power of ten ≤ 10^6) and
 * truncated: parseScaled("0.25", 10000) = 2500. Returns -1 when not a number or above 2^32-1 after scaling.
 */
export function parseScaled(s: string, scale: i64): i64 {
  const n = s.length;
  if (n == 0 || n > 24) return -1;
  let whole: i64 = 0;
  let i = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c == 46 /* . */) break;
    if (c < 48 || c > 57) return -1;
    whole = whole * 10 + (c - 48);
    digits++;
    if (whole > 0xffffffff) return -1;
  }
  let frac: i64 = 0;
  let unit = scale;
  if (i < n) {
    i++; // '.'
    if (i == n) return -1;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      unit /= 10;
      frac += (c - 48) * unit; // digits beyond the scale add 0
    }
  }
  if (digits == 0) return -1;
  const v = whole * scale + frac;
  return v > 0xffffffff ? -1 : v;
}

/** Protobuf JSON Duration "1.5s" / "0.250s" / "2s" → milliseconds, or -1 (max 3600 s, ms resolution). */
export function parseDurationMs(s: string): i64 {
  const n = s.length;
  if (n < 2 || s.charCodeAt(n - 1) != 115 /* s */) return -1;
  const body = s.substring(0, n - 1);
  const dot = body.indexOf(".");
  if (dot >= 0 && body.length - dot - 1 > 3) return -1;
  const ms = parseScaled(body, 1000);
  return ms < 0 || ms > 3600000 ? -1 : ms;
}
