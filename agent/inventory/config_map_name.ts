/**
 * The name of a ConfigMap in which the agent keeps what it knows about one object
 * (`skiff-ks-…` for Kustomizations, `skiff-hr-…` for HelmReleases): readable when it fits in
 * 253 characters, otherwise cut and ended with a hash of the whole so two long names stay apart.
 */
export function bookkeepingConfigMapName(
  prefix: string,
  namespace: string,
  name: string,
): string {
  const readable = `${prefix}-${namespace}-${name}`.toLowerCase();
  if (readable.length <= 253) return readable;
  return `${readable.slice(0, 236)}-${fnv1a(readable)}`;
}

function fnv1a(text: string): string {
  // Only needs to keep two long names apart, not to be secure.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
