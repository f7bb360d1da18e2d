// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// Percentage decisions (router mirror, fault delay/abort): deterministic from x-request-id when
// present, random otherwise.
//
// Documented rule (READMEs): with percentage p (in millionths, p = percent × 10000) and request id r,
// the decision is yes when FNV-1a-32(UTF-8(r) ++ salt) mod 1_000_000 < p, where the salt is one byte:
// "d" (0x64) for a fault delay, "a" (0x61) for a fault abort, "m" (0x6d) for a router mirror. So the
// decisions are independent of each other, and the same request id always gets the same decision.
import { FNV_OFFSET, fnv1aUpdate, fnv1aByte } from "./fnv1a";
import { Xorshift32 } from "./random";

export const PER_MILLION: u32 = 1000000;
export const SALT_DELAY: u32 = 0x64;
export const SALT_ABORT: u32 = 0x61;
export const SALT_MIRROR: u32 = 0x6d;

/** Bucket in [0, 1_000_000) of a request id for one kind of decision. */
export function requestIdBucket(requestId: string, salt: u32): u32 {
  const h = fnv1aByte(fnv1aUpdate(FNV_OFFSET, requestId, 0, requestId.length), salt);
  return h % PER_MILLION;
}

/** Does a decision with probability `perMillion` come out true? */
export function isSelected(perMillion: u32, requestId: string | null, salt: u32, rng: Xorshift32): bool {
  if (perMillion >= PER_MILLION) return true;
  if (perMillion == 0) return false;
  const bucket = requestId !== null && (<string>requestId).length > 0
    ? requestIdBucket(<string>requestId, salt)
    : rng.below(PER_MILLION);
  return bucket < perMillion;
}
