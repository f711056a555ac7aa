// Where sources are cached when neither the command line nor Agent.spec.cacheDir says:
// $SKIFF_CACHE_DIR (deploy/deployment.yaml sets it to the pod's volume), else
// $XDG_CACHE_HOME/skiff, else ~/.cache/skiff, else a directory under the system temp dir (a
// container without HOME).
export function defaultCacheDir(): string {
  const own = Deno.env.get("SKIFF_CACHE_DIR");
  if (own) return own;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/skiff`;
  const home = Deno.env.get("HOME");
  if (home) return `${home}/.cache/skiff`;
  return "/tmp/skiff-cache";
}
