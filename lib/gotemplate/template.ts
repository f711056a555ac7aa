// Template: a named template in a set that shares definitions, functions and options, with
// Go's API shape (New, Funcs, Parse, Lookup, Clone, Execute, ExecuteTemplate, Delims, Option).
import { isEmptyTree, type Tree } from "./ast.ts";
import { BUILTINS } from "./builtins.ts";
import type { RenderLimits } from "./budget.ts";
import { ExecError } from "./errors.ts";
import { type ExecEnv, executeTree, type MissingKey } from "./exec.ts";
import type { FuncMap, GoFunc } from "./funcs.ts";
import { parseTemplates } from "./parse.ts";

export interface TemplateOptions {
  /** What a missing map key yields (Go's `missingkey=` option); default "default". */
  missingKey?: MissingKey;
  /** Time and size budget of each render this template starts (default DEFAULT_RENDER_LIMITS). */
  limits?: Partial<RenderLimits>;
}

/** The state shared by all templates of one set (Go's `common`). */
class TemplateSet implements ExecEnv {
  templates = new Map<string, Template>();
  funcs = new Map<string, GoFunc>();
  missingKey: MissingKey = "default";
  limits: Partial<RenderLimits> = {};

  lookupTree(name: string): Tree | undefined {
    return this.templates.get(name)?.tree;
  }

  lookupFunc(name: string): GoFunc | undefined {
    return this.funcs.get(name);
  }
}

/** A template of a set; `new Template(name)` starts a new set, `t.new(name)` adds to it. */
export class Template {
  /** The parse tree, once parsed (or defined by another template's {{define}}). */
  tree: Tree | undefined;
  private leftDelim = "";
  private rightDelim = "";
  private set: TemplateSet;

  constructor(readonly name: string, options: TemplateOptions = {}, set?: TemplateSet) {
    this.set = set ?? new TemplateSet();
    if (options.missingKey) this.set.missingKey = options.missingKey;
    if (options.limits) this.set.limits = options.limits;
  }

  /** Sets the time and size budget of the renders this set starts (see budget.ts). */
  limits(limits: Partial<RenderLimits>): this {
    this.set.limits = limits;
    return this;
  }

  /** Adds functions to the set; must happen before `parse` of text that calls them. */
  funcs(map: FuncMap): this {
    for (const [name, fn] of Object.entries(map)) this.set.funcs.set(name, fn);
    return this;
  }

  /** Sets the action delimiters for later `parse` calls of this template ("" = default). */
  delims(left: string, right: string): this {
    this.leftDelim = left;
    this.rightDelim = right;
    return this;
  }

  /** Go's `Option("missingkey=...")`. */
  option(missingKey: MissingKey): this {
    this.set.missingKey = missingKey;
    return this;
  }

  /**
   * Parses `text` as the body of this template; its {{define}}/{{block}}s join the set.
   * Throws TemplateError (`template: name:line: reason`).
   */
  parse(text: string): this {
    const trees = parseTemplates(this.name, text, {
      leftDelim: this.leftDelim,
      rightDelim: this.rightDelim,
      hasFunction: (name) => this.set.funcs.has(name) || Object.hasOwn(BUILTINS, name),
    });
    for (const [name, tree] of trees) this.addTree(name, tree);
    return this;
  }

  /** Go's AddParseTree: an empty body does not replace an existing definition. */
  private addTree(name: string, tree: Tree): void {
    const old = this.set.templates.get(name);
    const t = name === this.name ? this : new Template(name, {}, this.set);
    const replaces = !(old?.tree && isEmptyTree(tree.root));
    if (replaces) this.set.templates.set(name, t);
    if (replaces || !t.tree) t.tree = tree;
  }

  /** A new, empty template in the same set (Go's `t.New(name)`). */
  // deno-lint-ignore no-misused-new -- named after Go's Template.New, not a constructor
  new(name: string): Template {
    const t = new Template(name, {}, this.set);
    t.leftDelim = this.leftDelim;
    t.rightDelim = this.rightDelim;
    return t;
  }

  /** The template of this set named `name`. */
  lookup(name: string): Template | undefined {
    return this.set.templates.get(name);
  }

  /** All templates of the set. */
  templates(): Template[] {
    return [...this.set.templates.values()];
  }

  /** Go's DefinedTemplates(): `; defined templates are: "a", "b"` or "". */
  definedTemplates(): string {
    const names = [...this.set.templates.keys()].map((n) => JSON.stringify(n));
    return names.length === 0 ? "" : `; defined templates are: ${names.join(", ")}`;
  }

  /** A copy of the whole set (templates, funcs, options) that can be changed independently. */
  clone(): Template {
    const set = new TemplateSet();
    set.funcs = new Map(this.set.funcs);
    set.missingKey = this.set.missingKey;
    set.limits = this.set.limits;
    for (const [name, t] of this.set.templates) {
      const copy = new Template(name, {}, set);
      copy.tree = t.tree;
      copy.leftDelim = t.leftDelim;
      copy.rightDelim = t.rightDelim;
      set.templates.set(name, copy);
    }
    const self = set.templates.get(this.name) ?? new Template(this.name, {}, set);
    self.leftDelim = this.leftDelim;
    self.rightDelim = this.rightDelim;
    return self;
  }

  /** Executes this template with `data` as dot. Throws ExecError with Go's message. */
  execute(data: unknown): string {
    if (!this.tree) {
      throw new ExecError(
        this.name,
        `template: ${this.name}: ${JSON.stringify(this.name)} is an incomplete or empty template`,
      );
    }
    return executeTree(this.set, this.tree, data);
  }

  /** Executes the template `name` of this set. */
  executeTemplate(name: string, data: unknown): string {
    const t = this.lookup(name);
    if (!t) {
      throw new ExecError(
        name,
        `template: no template ${JSON.stringify(name)} associated with template ${
          JSON.stringify(this.name)
        }`,
      );
    }
    return t.execute(data);
  }
}
