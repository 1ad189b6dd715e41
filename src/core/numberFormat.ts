/**
 * An integer with its thousands grouped ("40,000"), as `toLocaleString('en-US')` writes it: the
 * rules count things in most messages, and the locale-aware call costs a few microseconds each.
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return String(n);
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** A duration in seconds for a message: "30 s", "0.5 s" (one decimal under ten seconds, none above). */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
