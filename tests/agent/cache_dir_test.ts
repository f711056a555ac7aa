// The cache directory the agent uses when the config names none.
import assert from "node:assert/strict";
import { defaultCacheDir } from "../../agent/cache_dir.ts";

function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  };
  set(vars);
  try {
    fn();
  } finally {
    set(saved);
  }
}

Deno.test("SKIFF_CACHE_DIR (set by deploy/deployment.yaml) is the default cache dir", () => {
  withEnv({ SKIFF_CACHE_DIR: "/var/cache/skiff", XDG_CACHE_HOME: "/xdg" }, () => {
    assert.equal(defaultCacheDir(), "/var/cache/skiff");
  });
});

Deno.test("without SKIFF_CACHE_DIR: XDG_CACHE_HOME, then HOME, then the temp dir", () => {
  withEnv({ SKIFF_CACHE_DIR: undefined, XDG_CACHE_HOME: "/xdg", HOME: "/home/u" }, () => {
    assert.equal(defaultCacheDir(), "/xdg/skiff");
  });
  withEnv({ SKIFF_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined, HOME: "/home/u" }, () => {
    assert.equal(defaultCacheDir(), "/home/u/.cache/skiff");
  });
  withEnv({ SKIFF_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined, HOME: undefined }, () => {
    assert.equal(defaultCacheDir(), "/tmp/skiff-cache");
  });
});
