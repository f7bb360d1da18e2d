// Test-only exports over the router's pure modules (compiled by test/filters/router/pure.test.ts).
import { fnv1a } from "../../../../filters/common/fnv1a";
import { queryValueStart, queryValueEnd, cookieValueStart, cookieValueEnd, shadowAuthority, pathEnd } from "../../../../filters/router/request-text";
import { containsText, startsWithText, endsWithText, equalsText, asciiLower } from "../../../../filters/common/text";

const held: ArrayBuffer[] = [];
/** Allocates an input buffer kept alive until reset(). */
export function input(len: i32): usize { const b = new ArrayBuffer(len); held.push(b); return changetype<usize>(b); }
export function reset(): void { held.length = 0; }
function str(ptr: usize, len: i32): string { return String.UTF8.decode(changetype<ArrayBuffer>(ptr).slice(0, len)); }

export function hash(ptr: usize, len: i32): u32 { return fnv1a(str(ptr, len)); }
export function pathLen(ptr: usize, len: i32): i32 { return pathEnd(str(ptr, len)); }
/** Query value of param `name` in `path` packed as (start << 16) | end, or -1. */
export function query(pptr: usize, plen: i32, nptr: usize, nlen: i32): i32 {
  const p = str(pptr, plen);
  const s = queryValueStart(p, str(nptr, nlen));
  if (s < 0) return -1;
  return (s << 16) | queryValueEnd(p, s);
}
export function cookie(hptr: usize, hlen: i32, nptr: usize, nlen: i32): i32 {
  const h = str(hptr, hlen);
  const s = cookieValueStart(h, str(nptr, nlen));
  if (s < 0) return -1;
  return (s << 16) | cookieValueEnd(h, s);
}
/** Returns the UTF-8 length of the shadow authority; bytes via resultPtr(). */
let result: ArrayBuffer = new ArrayBuffer(0);
export function shadow(ptr: usize, len: i32): i32 { result = String.UTF8.encode(shadowAuthority(str(ptr, len))); return result.byteLength; }
export function lowered(ptr: usize, len: i32): i32 { result = String.UTF8.encode(asciiLower(str(ptr, len))); return result.byteLength; }
export function resultPtr(): usize { return changetype<usize>(result); }
/** op: 0 equals, 1 startsWith, 2 endsWith, 3 contains; the needle must be lower-case when ci. */
export function textOp(op: i32, sptr: usize, slen: i32, vptr: usize, vlen: i32, ci: bool): bool {
  const s = str(sptr, slen), v = str(vptr, vlen);
  if (op == 0) return equalsText(s, v, ci);
  if (op == 1) return startsWithText(s, v, ci);
  if (op == 2) return endsWithText(s, v, ci);
  return containsText(s, v, ci);
}
