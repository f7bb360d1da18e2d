// Envoy's `response.flags` bitmask (StreamInfo::CoreResponseFlag, legacy bit order) as the short codes
// Istio's `response_flags` label uses: "-" when no flag is set, otherwise the codes joined with ",".

const CODES: string[] = [
  "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE", "DC", "URX", "SI",
  "IH", "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO",
];

const cache = new Map<u64, string>();

/** Short-code form of a flags bitmask; cached per distinct mask so steady traffic builds no string. */
export function responseFlagsLabel(flags: u64): string {
  if (flags == 0) return "-";
  if (cache.has(flags)) return cache.get(flags);
  let out = "";
  for (let i = 0; i < CODES.length; i++) {
    if ((flags & (<u64>1 << <u64>i)) != 0) {
      if (out.length > 0) out += ",";
      out += CODES[i];
    }
  }
  if ((flags >> <u64>CODES.length) != 0) {
    if (out.length > 0) out += ",";
    out += "UNKNOWN";
  }
  if (cache.size < 256) cache.set(flags, out);
  return out;
}
