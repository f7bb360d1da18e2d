// Istio's string match forms: exact `abc`, prefix `abc*`, suffix `*abc`, presence `*` (any non-empty value).

export const enum MatchKind { Exact, Prefix, Suffix, Presence }

export class StringMatcher {
  constructor(public kind: MatchKind, public value: string) {}

  static parse(pattern: string, lowerCase: bool): StringMatcher {
    let p = pattern;
    if (lowerCase) p = pattern.toLowerCase();
    if (p == "*") return new StringMatcher(MatchKind.Presence, "");
    if (p.length > 1 && p.endsWith("*")) return new StringMatcher(MatchKind.Prefix, p.substring(0, p.length - 1));
    if (p.length > 1 && p.startsWith("*")) return new StringMatcher(MatchKind.Suffix, p.substring(1));
    return new StringMatcher(MatchKind.Exact, p);
  }

  matches(v: string): bool {
    switch (this.kind) {
      case MatchKind.Exact: return v == this.value;
      case MatchKind.Prefix: return v.startsWith(this.value);
      case MatchKind.Suffix: return v.endsWith(this.value);
      default: return v.length > 0;
    }
  }
}

/** Whether any matcher matches v. */
export function anyMatches(matchers: StringMatcher[], v: string): bool {
  // Raw element load (no bounds check, no retain/release per element; indices stay below length).
  const data = matchers.dataStart;
  for (let i = 0; i < matchers.length; i++) {
    if (changetype<StringMatcher>(load<usize>(data + (<usize>i << alignof<usize>()))).matches(v)) return true;
  }
  return false;
}
