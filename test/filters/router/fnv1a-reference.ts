// Independent reference of the documented sticky/deterministic hash (README: FNV-1a 32-bit over the
// UTF-8 bytes), written from the description so tests check the filter against the documentation.
export function fnv1a32(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Sticky split: bucket = fnv1a32(key) mod 10000 against cumulative weights ×100. */
export function stickyPick(key: string, targets: { value: string; weight: number }[]): string {
  const bucket = fnv1a32(key) % 10000;
  let cumulative = 0;
  for (const t of targets) {
    cumulative += Math.round(t.weight * 100);
    if (bucket < cumulative) return t.value;
  }
  return targets[targets.length - 1]!.value;
}
