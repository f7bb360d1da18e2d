// Per-request memo of header lookups. Every header name a configuration matches on gets a slot at load
// time; during a request each slot is looked up in the header view at most once, however many rules
// use it (50 rules on the same header cost one scan, not 50). Used by filters/router and filters/fault.
import { Headers } from "../sdk";

export class HeaderSlots {
  names: string[] = [];
  private index: Map<string, i32> = new Map<string, i32>();
  // Memo storage shared by every RequestView over these slots: one request is evaluated at a time per VM and
  // a view never outlives the hook that made it, so the arrays are allocated once, not per request.
  values: StaticArray<string | null> = new StaticArray<string | null>(0);
  looked: StaticArray<bool> = new StaticArray<bool>(0);

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
  /** Start a request's memo (forgets what the previous view over `slots` looked up). */
  constructor(public headers: Headers, private slots: HeaderSlots) {
    const n = slots.names.length;
    if (slots.looked.length != n) {
      slots.values = new StaticArray<string | null>(n);
      slots.looked = new StaticArray<bool>(n);
    } else if (n > 0) {
      memory.fill(changetype<usize>(slots.looked), 0, <usize>n);
    }
  }

  /** First value of the slot's header, or null when absent. */
  value(slot: i32): string | null {
    const slots = this.slots;
    if (unchecked(slots.looked[slot])) return unchecked(slots.values[slot]);
    const v = this.headers.get(unchecked(slots.names[slot]));
    unchecked(slots.values[slot] = v);
    unchecked(slots.looked[slot] = true);
    return v;
  }
}
