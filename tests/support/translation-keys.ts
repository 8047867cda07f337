/** Every key of a translation namespace, dotted ("vote.up"), in the order the file lists them. */
export function translationKeys(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => translationKeys(v, prefix ? `${prefix}.${k}` : k));
}
