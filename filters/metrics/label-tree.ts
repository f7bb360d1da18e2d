// Metric ids cached per label combination: a tree keyed by one label value per level, so a request whose
// combination was seen before finds its ids with map lookups only (no string is built).

/** The ids of the four stats of one label combination. */
export class SeriesIds {
  constructor(
    public requests: u32,
    public duration: u32,
    public requestBytes: u32,
    public responseBytes: u32,
  ) {}
}

export class LabelNode {
  children: Map<string, LabelNode> = new Map();
  series: SeriesIds | null = null;
  // One-entry memo of the last child found: consecutive requests mostly repeat a level's value, and a
  // string comparison is cheaper than hashing the value twice (has + get). Children are never removed.
  private memoKey: string | null = null;
  private memoChild: LabelNode | null = null;

  /** The child for `value`, or null when that value was never seen at this level. */
  find(value: string): LabelNode | null {
    const key = this.memoKey;
    if (key !== null && key == value) return this.memoChild;
    if (!this.children.has(value)) return null;
    const n = this.children.get(value);
    this.memoKey = value;
    this.memoChild = n;
    return n;
  }

  child(value: string): LabelNode {
    if (this.children.has(value)) return this.children.get(value);
    const n = new LabelNode();
    this.children.set(value, n);
    return n;
  }
}

/** The series of `values` when that combination was seen before, else null (creates nothing). */
export function findSeries(root: LabelNode, values: string[]): SeriesIds | null {
  let node = root;
  for (let i = 0; i < values.length; i++) {
    const next = node.find(values[i]);
    if (next === null) return null;
    node = next;
  }
  return node.series;
}

/** The leaf for `values`, created on first sight. */
export function leafFor(root: LabelNode, values: string[]): LabelNode {
  let node = root;
  for (let i = 0; i < values.length; i++) node = node.child(values[i]);
  return node;
}
