// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// Small PRNG for "random" decisions (AssemblyScript's Math.random would import env.seed, which
// Envoy does not offer). xorshift32, seeded by the root context from the host clock.

export class Xorshift32 {
  private state: u32;
  constructor(seed: u64) {
    let s = <u32>(seed ^ (seed >> 32));
    this.state = s == 0 ? 0x9e3779b9 : s;
  }
  next(): u32 {
    let x = this.state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.state = x;
    return x;
  }
  /** Uniform-ish value in [0, n). */
  below(n: u32): u32 {
    return <u32>((<u64>this.next() * <u64>n) >> 32);
  }
}
