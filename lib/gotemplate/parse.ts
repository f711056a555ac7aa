// The parser of Go's text/template: items to trees, one per template name ({{define}} and
// {{block}} add more). Grammar, variable scoping and error messages follow Go's parse package.
import type {
  Arg,
  BranchNode,
  CommandNode,
  EndNode,
  ListNode,
  Node,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from "./ast.ts";
import { isEmptyTree, nodeString } from "./ast.ts";
import { TemplateError } from "./errors.ts";
import { type Item, itemString, type ItemType, lex } from "./lex.ts";
import { parseNumber } from "./number.ts";
import { unquote } from "./quote.ts";

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Whether a function name is known (user funcs + builtins). */
  hasFunction: (name: string) => boolean;
}

/** Parses `text` as template `name`; returns every tree it defines, `name` included. */
export function parseTemplates(
  name: string,
  text: string,
  options: ParseOptions,
): Map<string, Tree> {
  const items = lex(text, options.leftDelim, options.rightDelim);
  const trees = new Map<string, Tree>();
  const parser = new Parser(name, text, items, trees, options.hasFunction);
  parser.parseRoot();
  return trees;
}

class Parser {
  private index = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private actionLine = 0;
  private tree: Tree;

  constructor(
    private name: string,
    private text: string,
    private items: Item[],
    private trees: Map<string, Tree>,
    private hasFunction: (name: string) => boolean,
  ) {
    this.tree = this.newTree(name);
  }

  private newTree(name: string): Tree {
    const tree: Tree = { name, parseName: this.name, text: this.text, root: null as never };
    tree.root = { type: "list", pos: 0, tree, nodes: [] };
    return tree;
  }

  // ---- item access ----

  private lastLine = 1;

  private next(): Item {
    const item = this.items[Math.min(this.index, this.items.length - 1)];
    this.index++;
    this.lastLine = item.line;
    return item;
  }

  private backup(n = 1): void {
    this.index -= n;
  }

  private peek(): Item {
    return this.items[Math.min(this.index, this.items.length - 1)];
  }

  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === "space") item = this.next();
    return item;
  }

  private peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    // A backed-up space sequence is skipped again next time; positions stay consistent.
    return item;
  }

  private errorf(reason: string): never {
    throw new TemplateError(this.name, this.lastLine, reason);
  }

  private expect(type: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.type === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // ---- structure ----

  parseRoot(): void {
    const root = this.tree;
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const at = this.index;
        this.next();
        if (this.nextNonSpace().type === "define") {
          this.parseDefinition();
          this.tree = root;
          continue;
        }
        this.index = at;
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      root.root.nodes.push(n);
    }
    this.add(root);
  }

  private add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) {
      this.errorf(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
    }
  }

  private parseDefinition(): void {
    const context = "define clause";
    const token = this.nextNonSpace();
    if (token.type !== "string" && token.type !== "rawString") this.unexpected(token, context);
    const name = this.unquoteOrFail(token.val);
    this.expect("rightDelim", context);
    const tree = this.newTree(name);
    const savedVars = this.vars;
    this.vars = ["$"];
    this.tree = tree;
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    tree.root = list;
    this.vars = savedVars;
    this.add(tree);
  }

  private unquoteOrFail(lit: string): string {
    try {
      return unquote(lit);
    } catch {
      this.errorf("invalid syntax");
    }
  }

  private itemList(): [ListNode, EndNode] {
    const list: ListNode = {
      type: "list",
      pos: this.peekNonSpace().pos,
      tree: this.tree,
      nodes: [],
    };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "text":
        return { type: "text", pos: token.pos, tree: this.tree, text: token.val };
      case "leftDelim": {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
    }
    this.unexpected(token, "input");
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.loopControl(token);
      case "else":
        return this.elseControl();
      case "end": {
        const t = this.expect("rightDelim", "end");
        return { type: "end", pos: t.pos, tree: this.tree, line: t.line };
      }
      case "if":
        return this.branch("if");
      case "range":
        return this.branch("range");
      case "template":
        return this.templateControl();
      case "with":
        return this.branch("with");
    }
    this.backup();
    const t = this.peek();
    const pipe = this.pipeline("command", "rightDelim");
    return { type: "action", pos: t.pos, tree: this.tree, line: t.line, pipe };
  }

  private loopControl(token: Item): Node {
    const kind = token.type as "break" | "continue";
    const t = this.nextNonSpace();
    if (t.type !== "rightDelim") this.unexpected(t, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, tree: this.tree, line: t.line };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    // "{{else if x}}" and (Go 1.23) "{{else with x}}" are "{{else}}{{if x}}...{{end}}"; the
    // keyword stays pending for the branch parser.
    if (peek.type === "if" || peek.type === "with") {
      return { type: "else", pos: peek.pos, tree: this.tree, line: peek.line };
    }
    const token = this.expect("rightDelim", "else");
    return { type: "else", pos: token.pos, tree: this.tree, line: token.line };
  }

  private branch(kind: "if" | "range" | "with"): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, "rightDelim");
      if (kind === "range") this.rangeDepth++;
      let list: ListNode;
      let next: EndNode;
      try {
        [list, next] = this.itemList();
      } finally {
        if (kind === "range") this.rangeDepth--;
      }
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        const pending = this.peekNonSpace();
        if (kind !== "range" && pending.type === kind) {
          this.nextNonSpace();
          elseList = { type: "list", pos: next.pos, tree: this.tree, nodes: [this.branch(kind)] };
        } else {
          const [elseItems, end] = this.itemList();
          if (end.type !== "end") this.errorf(`expected end; found ${nodeString(end)}`);
          elseList = elseItems;
        }
      }
      return { type: kind, pos: pipe.pos, tree: this.tree, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(): TemplateNode {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: token.pos, tree: this.tree, line: token.line, name, pipe };
  }

  private templateName(token: Item, context: string): string {
    if (token.type !== "string" && token.type !== "rawString") this.unexpected(token, context);
    return this.unquoteOrFail(token.val);
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, "rightDelim");
    const outer = this.tree;
    const savedVars = this.vars;
    const block = this.newTree(name);
    this.tree = block;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.root = list;
    this.add(block);
    this.tree = outer;
    this.vars = savedVars;
    return { type: "template", pos: token.pos, tree: outer, line: token.line, name, pipe };
  }

  // ---- pipelines ----

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: token.pos,
      tree: this.tree,
      line: token.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") break;
      // "$x := ..." declares, "$x foo" is an argument: look past the spaces to tell.
      const start = this.index;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.nextNonSpace();
        pipe.decl.push(this.variable(v.pos, v.val));
        this.vars.push(v.val);
        break;
      }
      if (next.type === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.variable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.index = start;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case "bool":
        case "charConstant":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          continue;
      }
      this.unexpected(token, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = {
      type: "command",
      pos: this.peekNonSpace().pos,
      tree: this.tree,
      args: [],
    };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === "space") continue;
      if (token.type === "rightDelim" || token.type === "rightParen") this.backup();
      else if (token.type !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): Arg | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== "field") return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos, tree: this.tree, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos, tree: this.tree, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
    }
    return { type: "chain", pos, tree: this.tree, node, field: fields };
  }

  private term(): Arg | null {
    const token = this.nextNonSpace();
    const pos = token.pos;
    const tree = this.tree;
    switch (token.type) {
      case "identifier":
        if (!this.hasFunction(token.val)) {
          this.errorf(`function ${JSON.stringify(token.val)} not defined`);
        }
        return { type: "identifier", pos, tree, ident: token.val };
      case "dot":
        return { type: "dot", pos, tree };
      case "nil":
        return { type: "nil", pos, tree };
      case "variable":
        return this.useVar(token.pos, token.val);
      case "field":
        return { type: "field", pos, tree, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos, tree, value: token.val === "true" };
      case "charConstant":
      case "number": {
        try {
          const n = parseNumber(token.val, token.type === "charConstant");
          return {
            type: "number",
            pos,
            tree,
            text: token.val,
            isInt: n.isInt,
            isUint: n.isUint,
            isFloat: n.isFloat,
            isComplex: n.isComplex,
            int: n.int,
            float: n.float,
          };
        } catch (e) {
          this.errorf((e as Error).message);
        }
        break;
      }
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return {
          type: "string",
          pos,
          tree,
          quoted: token.val,
          text: this.unquoteOrFail(token.val),
        };
    }
    this.backup();
    return null;
  }

  private variable(pos: number, name: string): VariableNode {
    return { type: "variable", pos, tree: this.tree, ident: name.split(".") };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.variable(pos, name);
    if (!this.vars.includes(v.ident[0])) {
      this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
    }
    return v;
  }
}
