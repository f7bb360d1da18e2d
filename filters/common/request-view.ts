// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// Per-request memo of header lookups. Every header name a configuration matches on gets a slot at load
// time; during a request each slot is looked up in the header view at most once, however many rules
// use it (50 rules on the same header cost one scan, not 50).
import { Headers } from "../sdk";

export class HeaderSlots {
  names: string[] = [];
  private index: Map<string, i32> = new Map<string, i32>();

  /** Slot of a (lower-cased) header name, allocated on first use. */
  slotOf(name: string): i32 {
    if (this.index.has(name)) return this.index.get(name);
    const slot = this.names.length;
    this.names.push(name);
    this.index.set(name, slot);
    return slot;
  }
}

export class RequestView {
  private values: Array<string | null>;
  private looked: Array<bool>;

  constructor(public headers: Headers, private slots: HeaderSlots) {
    const n = slots.names.length;
    this.values = new Array<string | null>(n);
    this.looked = new Array<bool>(n);
  }

  /** First value of the slot's header, or null when absent. */
  value(slot: i32): string | null {
    if (unchecked(this.looked[slot])) return unchecked(this.values[slot]);
    const v = this.headers.get(unchecked(this.slots.names[slot]));
    unchecked(this.values[slot] = v);
    unchecked(this.looked[slot] = true);
    return v;
  }
}
