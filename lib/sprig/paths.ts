// Go's path package (base, dir, clean, ext, isAbs) and its filepath twins, which on Linux are
// the same functions.
import { type FuncMap, typed } from "../gotemplate/mod.ts";

/** path.Clean. */
export function clean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(part);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s === "" ? "." : s;
}

function base(p: string): string {
  if (p === "") return ".";
  p = p.replace(/\/+$/, "");
  const i = p.lastIndexOf("/");
  if (i >= 0) p = p.slice(i + 1);
  return p === "" ? "/" : p;
}

function dir(p: string): string {
  const i = p.lastIndexOf("/");
  return clean(p.slice(0, i + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--) {
    if (p[i] === ".") return p.slice(i);
  }
  return "";
}

const isAbs = (p: string) => p.startsWith("/");

export const pathFuncs: FuncMap = {
  base: typed(["string"], base),
  dir: typed(["string"], dir),
  clean: typed(["string"], clean),
  ext: typed(["string"], ext),
  isAbs: typed(["string"], isAbs),
  osBase: typed(["string"], base),
  osClean: typed(["string"], clean),
  osDir: typed(["string"], dir),
  osExt: typed(["string"], ext),
  osIsAbs: typed(["string"], isAbs),
};
