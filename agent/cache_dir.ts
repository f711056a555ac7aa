// Where sources are cached when Agent.spec.cacheDir is not set: $XDG_CACHE_HOME/skiff, else
// ~/.cache/skiff, else a directory under the system temp dir (a container without HOME).
export function defaultCacheDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/skiff`;
  const home = Deno.env.get("HOME");
  if (home) return `${home}/.cache/skiff`;
  return "/tmp/skiff-cache";
}
