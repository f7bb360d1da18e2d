// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// :method condition: configuration ("GET" or ["GET", "HEAD"]) and predicate.
import { ObjectReader } from "../sdk";

/** `method`: "GET" or ["GET", "HEAD"] (upper-case letters). */
export function readMethods(o: ObjectReader, key: string): string[] {
  const result: string[] = [];
  const raw = o.obj.get(key);
  if (raw === null || raw.isNull) { o.has(key); return result; }
  if (raw.isString) {
    result.push(o.string(key));
  } else if (raw.isArr) {
    const list = o.stringArray(key);
    if (list !== null) for (let i = 0; i < list.length; i++) result.push(list[i]);
    if (list !== null && list.length == 0) o.config.error(o.pathOf(key), "expected at least one method");
  } else {
    o.has(key);
    o.config.error(o.pathOf(key), "expected string or array of strings");
    return result;
  }
  for (let i = 0; i < result.length; i++) {
    const m = result[i];
    let ok = m.length > 0;
    for (let j = 0; j < m.length; j++) {
      const c = m.charCodeAt(j);
      if (c < 65 || c > 90) ok = false;
    }
    if (!ok) o.config.error(raw.isArr ? o.pathOf(key) + "[" + i.toString() + "]" : o.pathOf(key), "expected an upper-case method name");
  }
  return result;
}

export function matchesMethod(methods: string[], method: string | null): bool {
  if (methods.length == 0) return true;
  if (method === null) return false;
  for (let i = 0; i < methods.length; i++) if (unchecked(methods[i]) == <string>method) return true;
  return false;
}
