/**
 * Reading the normalised bootstrap tree field by field. Every field of every message the emulator reads
 * must be taken explicitly; `done()` reports whatever is left as unsupported, so no field is ever ignored silently.
 */

export const REFUSAL_HINT = 'the emulated data plane implements a subset of the Envoy API; run this bootstrap on Envoy (--engine envoy) or remove the field';

/** Collects refusals so one run reports every unsupported field path. */
export class Refusals {
  readonly list: string[] = [];
  unsupported(path: string, why = 'not supported by the emulated data plane'): void {
    this.list.push(`${path}: ${why}`);
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Fields {
  private readonly taken = new Set<string>();
  constructor(
    readonly value: Json,
    readonly path: string,
    readonly refusals: Refusals,
  ) {}

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** Raw value of a field, marking it read. */
  take(key: string): unknown {
    this.taken.add(key);
    return this.value[key];
  }

  string(key: string, fallback = ''): string {
    const v = this.take(key);
    return typeof v === 'string' ? v : fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.take(key);
    return typeof v === 'boolean' ? v : fallback;
  }

  number(key: string, fallback: number): number {
    const v = this.take(key);
    return v === undefined ? fallback : Number(v);
  }

  /** A sub-message, or undefined when absent. */
  message(key: string): Fields | undefined {
    const v = this.take(key);
    return isObject(v) ? new Fields(v, this.at(key), this.refusals) : undefined;
  }

  /** A repeated message field. */
  messages(key: string): Fields[] {
    const v = this.take(key);
    if (!Array.isArray(v)) return [];
    return v.map((item, i) => new Fields(isObject(item) ? item : {}, `${this.at(key)}[${i}]`, this.refusals));
  }

  strings(key: string): string[] {
    const v = this.take(key);
    return Array.isArray(v) ? v.map(String) : [];
  }

  /** Accept a field only when it holds one of the listed values (its default included). */
  only(key: string, allowed: readonly unknown[]): void {
    const v = this.take(key);
    if (v !== undefined && !allowed.includes(v)) this.refusals.unsupported(this.at(key), `value ${JSON.stringify(v)} not supported by the emulated data plane (supported: ${allowed.map((a) => JSON.stringify(a)).join(', ')})`);
  }

  /** Reports every field not taken. Call once the message has been read. */
  done(): void {
    for (const key of Object.keys(this.value)) {
      if (key === '@type' || this.taken.has(key)) continue;
      this.refusals.unsupported(this.at(key));
    }
  }
}

/** Envoy duration JSON ("1.5s") → milliseconds. */
export function durationMs(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(value);
  return m ? Math.round(Number(m[1]) * 1000) : fallback;
}
