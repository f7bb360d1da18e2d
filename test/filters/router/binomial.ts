// Tolerance for percentage checks: the count of selected requests among n deterministic request ids
// is treated as Binomial(n, p); a test accepts counts within k standard deviations of n·p.
// With k = 4.5 the chance that a correct implementation fails on fresh ids is ~7e-6, and the ids are
// fixed, so the outcome never changes between runs.
export function binomialBounds(n: number, p: number, k = 4.5): { low: number; high: number } {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  return { low: Math.max(0, Math.floor(mean - k * sd)), high: Math.min(n, Math.ceil(mean + k * sd)) };
}
