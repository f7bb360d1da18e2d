// Min-heap of (deadline ms, insertion order) → item. The fault filter's root context keeps one:
// the tick period is set to the nearest deadline, and every due item is popped on each tick.
// Ties resume in insertion order.

export class DeadlineQueue<T> {
  private deadlines: i64[] = [];
  private seqs: u64[] = [];
  private items: T[] = [];
  private nextSeq: u64 = 0;

  get size(): i32 { return this.items.length; }

  /** Nearest deadline, or -1 when empty. */
  nearest(): i64 { return this.items.length == 0 ? -1 : this.deadlines[0]; }

  push(deadline: i64, item: T): void {
    this.deadlines.push(deadline);
    this.seqs.push(this.nextSeq++);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  /** Is the nearest item due at `now`? */
  hasDue(now: i64): bool { return this.items.length > 0 && this.deadlines[0] <= now; }

  /** Removes and returns the nearest item (call only when size > 0). */
  pop(): T {
    const top = this.items[0];
    const last = this.items.length - 1;
    if (last > 0) this.move(last, 0);
    this.deadlines.pop(); this.seqs.pop(); this.items.pop();
    if (last > 0) this.down(0);
    return top;
  }

  private less(a: i32, b: i32): bool {
    const da = this.deadlines[a], db = this.deadlines[b];
    return da < db || (da == db && this.seqs[a] < this.seqs[b]);
  }

  private move(from: i32, to: i32): void {
    this.deadlines[to] = this.deadlines[from];
    this.seqs[to] = this.seqs[from];
    this.items[to] = this.items[from];
  }

  private swap(a: i32, b: i32): void {
    const d = this.deadlines[a]; this.deadlines[a] = this.deadlines[b]; this.deadlines[b] = d;
    const s = this.seqs[a]; this.seqs[a] = this.seqs[b]; this.seqs[b] = s;
    const t = this.items[a]; this.items[a] = this.items[b]; this.items[b] = t;
  }

  private up(i: i32): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: i32): void {
    const n = this.items.length;
    while (true) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m == i) break;
      this.swap(i, m);
      i = m;
    }
  }
}
