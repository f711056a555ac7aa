// .helmignore rules, as Helm's ignore package reads them: one pattern per line, `#` comments,
// `!` negates, a trailing `/` matches directories only, a leading `/` anchors at the chart root,
// a pattern with a `/` matches the whole path, one without matches the base name.
import { ChartLoadError } from "./errors.ts";
import { compilePathPattern, pathMatch } from "./path_match.ts";

interface Rule {
  pattern: string;
  negate: boolean;
  mustDir: boolean;
  kind: "root" | "path" | "base";
}

export class IgnoreRules {
  private readonly rules: Rule[] = [];

  /** Rules Helm always applies: hidden files in templates/ are never templates. */
  static withDefaults(): IgnoreRules {
    const r = new IgnoreRules();
    r.add("templates/.?*", ".helmignore");
    return r;
  }

  parse(text: string, file: string): this {
    for (const line of text.split(/\r?\n/)) this.add(line, file);
    return this;
  }

  add(line: string, file: string): void {
    let rule = line.trim();
    if (rule === "" || rule.startsWith("#")) return;
    if (rule.includes("**")) {
      throw new ChartLoadError(file, `double-star (**) syntax is not supported: ${rule}`);
    }
    if (compilePathPattern(rule) === null) {
      throw new ChartLoadError(file, `syntax error in pattern: ${rule}`);
    }
    const negate = rule.startsWith("!");
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith("/");
    if (mustDir) rule = rule.slice(0, -1);
    let kind: Rule["kind"] = "base";
    if (rule.startsWith("/")) {
      kind = "root";
      rule = rule.slice(1);
    } else if (rule.includes("/")) kind = "path";
    this.rules.push({ pattern: rule, negate, mustDir, kind });
  }

  /** Whether `path` (relative to the chart root) is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    if (path === "" || path === "." || path === "./") return false;
    for (const r of this.rules) {
      const subject = r.kind === "base" ? path.slice(path.lastIndexOf("/") + 1) : path;
      if (r.negate) {
        if (r.mustDir && !isDir) return true;
        if (!pathMatch(r.pattern, subject)) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (pathMatch(r.pattern, subject)) return true;
    }
    return false;
  }
}
