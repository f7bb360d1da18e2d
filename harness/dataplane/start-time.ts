/** `%START_TIME(format)%`: the strftime/absl specifiers Envoy's formatter supports that the emulator renders (UTC). */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const SPECIFIERS: Record<string, (d: Date, ms: number) => string> = {
  Y: (d) => String(d.getUTCFullYear()),
  m: (d) => pad(d.getUTCMonth() + 1),
  d: (d) => pad(d.getUTCDate()),
  H: (d) => pad(d.getUTCHours()),
  M: (d) => pad(d.getUTCMinutes()),
  S: (d) => pad(d.getUTCSeconds()),
  s: (_d, ms) => String(Math.floor(ms / 1000)),
  z: () => '+0000',
  Z: () => 'UTC',
  F: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  T: (d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  '%': () => '%',
};

const fraction = (ms: number, digits: number): string => String((ms % 1000) * 1_000_000).padStart(9, '0').slice(0, digits);

/** Compiles `format`; each unsupported specifier is reported through `refuse`. */
export function startTimeFormatter(format: string, refuse: (message: string) => void): (ms: number) => string {
  const parts: ((d: Date, ms: number) => string)[] = [];
  const re = /%(E\d+S|\d?f|.)|[^%]+/g;
  for (const m of format.matchAll(re)) {
    const spec = m[1];
    if (spec === undefined) {
      const text = m[0];
      parts.push(() => text);
    } else if (SPECIFIERS[spec]) parts.push(SPECIFIERS[spec]);
    else if (/^E\dS$/.test(spec)) {
      const digits = Number(spec[1]);
      parts.push((d, ms) => pad(d.getUTCSeconds()) + (digits > 0 ? `.${fraction(ms, digits)}` : ''));
    } else if (/^\d?f$/.test(spec)) {
      const digits = spec.length === 2 ? Number(spec[0]) : 9;
      parts.push((_d, ms) => fraction(ms, digits));
    } else refuse(`START_TIME specifier %${spec} not supported by the emulated data plane`);
  }
  return (ms) => {
    const d = new Date(ms);
    return parts.map((p) => p(d, ms)).join('');
  };
}
