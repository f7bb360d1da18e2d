// Immutable settings of the metrics filter.

/** Standard labels, in the order they appear in stat names and in stats_tags. */
export const enum Label {
  ResponseCode, RequestMethod, RequestProtocol, SourcePrincipal, SourceNamespace, DestinationService, RouteName,
  ResponseFlags,
}

export const STANDARD_LABELS: string[] = [
  "response_code", "request_method", "request_protocol", "source_principal", "source_workload_namespace",
  "destination_service", "route_name", "response_flags",
];

/** A label taken from a request header, with bounded cardinality. */
export class ExtraLabel {
  name: string = "";
  header: string = "";
  /** Allow-list: values outside it become `other`. Empty = use maxValues. */
  allowed: Set<string> = new Set();
  /** Cap: the first maxValues distinct values keep their name, later ones become `other`. */
  maxValues: i32 = 0;
  /** Values admitted so far under the cap (per VM). */
  seen: Set<string> = new Set();

  /** The label value for a raw header value (null = header absent). */
  valueFor(raw: string | null): string {
    if (raw == null) return "unknown";
    const v = raw!;
    if (this.allowed.size > 0) {
      if (this.allowed.has(v)) return v;
      return "other";
    }
    if (this.seen.has(v)) return v;
    if (this.seen.size < this.maxValues) {
      this.seen.add(v);
      return v;
    }
    return "other";
  }
}

export const enum DestinationSource { Authority, Cluster }

export class Settings {
  /** Prefix of the four metric names (`<prefix>requests_total`, ...). */
  prefix: string = "asmesh_";
  /** enabled[Label] for each standard label. */
  enabled: StaticArray<bool> = new StaticArray<bool>(8);
  destination: DestinationSource = DestinationSource.Authority;
  extra: ExtraLabel[] = [];
  /** Number of labels (enabled standard + extra). */
  labelCount: i32 = 0;
  /** Label combinations kept; later new combinations are recorded with every label "other". */
  maxSeries: i32 = 10000;

  isEnabled(l: Label): bool { return this.enabled[<i32>l]; }
}
