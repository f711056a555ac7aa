// Execution of parsed templates, following Go's text/template exec.go: evaluation of pipelines,
// fields, variables, function calls with Go's argument rules, control structures, and errors
// located at the node being evaluated (`template: t:1:5: executing "t" at <.a.b>: ...`).
import type {
  Arg,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from "./ast.ts";
import { nodeString } from "./ast.ts";
import { activeBudget, RenderBudget, RenderBudgetError, type RenderLimits } from "./budget.ts";
import { BUILTINS } from "./builtins.ts";
import { ExecError, GoFuncError, GoPanic, LoopControl } from "./errors.ts";
import { sprint } from "./fmt.ts";
import { type GoFunc, isTypedFunc, type ParamType, paramTypeName } from "./funcs.ts";
import { GO_TYPE, GoInt, isPlainMap, isStruct, isTrue, typeName } from "./value.ts";

export type MissingKey = "default" | "invalid" | "zero" | "error";

/** What execution needs from the template set. */
export interface ExecEnv {
  lookupTree(name: string): Tree | undefined;
  lookupFunc(name: string): GoFunc | undefined;
  missingKey: MissingKey;
  /** The budget of a render that this execution starts (see budget.ts). */
  limits?: Partial<RenderLimits>;
}

/** Sentinel for "no final (piped) argument", Go's missingVal. */
const NO_FINAL: unique symbol = Symbol("no final");
type Final = unknown | typeof NO_FINAL;

const MAX_DEPTH = 100000;

interface Variable {
  name: string;
  value: unknown;
  /** The value's static Go type is interface{} (a range element), which error messages name. */
  iface?: boolean;
}

/** Executes `tree` with `data` as dot; returns the output. Throws ExecError. */
export function executeTree(env: ExecEnv, tree: Tree, data: unknown): string {
  // Outside a render (a caller's RenderBudget.run), this execution is the render.
  const budget = activeBudget();
  if (!budget) {
    return new RenderBudget(env.limits, tree.name).run(() => executeTree(env, tree, data));
  }
  const state = new State(env, tree, [{ name: "$", value: normalizeData(data) }], 0, budget);
  try {
    state.walk(normalizeData(data), tree.root);
  } catch (e) {
    if (isStackOverflow(e)) {
      throw new ExecError(
        tree.name,
        `template: ${tree.name}: exceeded maximum template depth (${MAX_DEPTH})`,
      );
    }
    throw e;
  }
  return state.out;
}

function normalizeData(data: unknown): unknown {
  return data === null ? undefined : data;
}

class State {
  out = "";
  private node: Node | null = null;
  /** Dot's static type is interface{} (inside range over a slice or map). */
  private dotIface = false;

  constructor(
    private env: ExecEnv,
    private tree: Tree,
    private vars: Variable[],
    private depth: number,
    private budget: RenderBudget,
  ) {}

  private at(node: Node): void {
    this.node = node;
  }

  errorf(message: string, cause?: unknown): never {
    throw new ExecError(this.tree.name, `${this.location()}: ${message}`, cause);
  }

  /** Where execution is, as Go's errors start: `template: t:1:5: executing "t" at <.a>`. */
  private location(): string {
    const name = this.tree.name;
    if (!this.node) return `template: ${name}`;
    const n = this.node;
    const src = n.tree.text.slice(0, n.pos);
    const nl = src.lastIndexOf("\n");
    const col = byteLength(nl < 0 ? src : src.slice(nl + 1));
    const line = 1 + count(src, "\n");
    return `template: ${n.tree.parseName}:${line}:${col}: executing ${JSON.stringify(name)} at <${
      nodeString(n)
    }>`;
  }

  private readonly where = () => this.location();

  /** Appends output, within the render's size budget. */
  private emit(text: string): void {
    this.out += text;
    this.budget.checkOutput(this.out.length, this.where);
  }

  // ---- walking ----

  walk(dot: unknown, node: Node): void {
    this.at(node);
    this.budget.step(this.where);
    switch (node.type) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, node);
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        return this.walkRange(dot, node);
      case "template":
        return this.walkTemplate(dot, node);
      case "text":
        this.emit(node.text);
        return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (typeof val === "function") this.errorf(`if/with can't use ${sprint([val])}`);
      if (isTrue(val)) {
        if (node.type === "with") {
          const saved = this.dotIface;
          this.dotIface = false;
          try {
            this.walk(val, node.list);
          } finally {
            this.dotIface = saved;
          }
        } else this.walk(dot, node.list);
      } else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r);
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const inner = this.mark();
      const one = (index: unknown, elem: unknown): boolean => {
        if (r.pipe.decl.length > 0) {
          this.vars[inner - 1].value = elem;
          this.vars[inner - 1].iface = elemIface;
        }
        if (r.pipe.decl.length > 1) this.vars[inner - 2].value = index;
        const savedDot = this.dotIface;
        this.dotIface = elemIface;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e === CONTINUE) return true;
          if (e === BREAK) return false;
          throw e;
        } finally {
          this.dotIface = savedDot;
          this.pop(inner);
        }
        return true;
      };
      let ran = false;
      const elemIface = (Array.isArray(val) && typeName(val) === "[]interface {}") ||
        (isPlainMap(val) && typeName(val) === "map[string]interface {}");
      if (Array.isArray(val) || val instanceof Uint8Array) {
        for (let i = 0; i < val.length; i++) {
          ran = true;
          const elem = val instanceof Uint8Array ? new GoInt(BigInt(val[i]), "uint8") : val[i];
          if (!one(BigInt(i), elem)) break;
        }
      } else if (isPlainMap(val)) {
        for (const k of Object.keys(val).sort()) {
          ran = true;
          if (!one(k, val[k])) break;
        }
      } else if (val instanceof Map) {
        // A JS Map stands for a Go map whose keys are not strings (e.g. struct keys); its owner
        // inserted the entries in the order Go's sorted iteration yields them.
        for (const [k, v] of val) {
          ran = true;
          if (!one(k, v)) break;
        }
      } else if (typeof val === "bigint" || val instanceof GoInt) {
        // Go 1.22: ranging over an integer n yields 0..n-1.
        if (r.pipe.decl.length > 1) {
          this.errorf(`can't use ${sprint([val])} to iterate over more than one variable`);
        }
        const n = typeof val === "bigint" ? val : val.value;
        for (let i = 0n; i < n; i++) {
          ran = true;
          const v = typeof val === "bigint" ? i : new GoInt(i, val.kind);
          if (!one(v, v)) break;
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${sprint([val])}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tree = this.env.lookupTree(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const state = new State(
      this.env,
      tree,
      [{ name: "$", value: newDot }],
      this.depth + 1,
      this.budget,
    );
    try {
      state.walk(newDot, tree.root);
    } catch (e) {
      // JavaScript's stack ends before Go's depth limit; report it the way Go reports its limit.
      if (isStackOverflow(e)) {
        this.at(t);
        this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
      }
      throw e;
    } finally {
      this.emit(state.out);
    }
  }

  // ---- evaluation ----

  evalPipeline(dot: unknown, pipe: PipeNode | null): unknown {
    if (!pipe) return undefined;
    this.at(pipe);
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result becomes "no value", as Go's reflect.ValueOf(v.Interface()).
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
        break;
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
    this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
  }

  private notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
    }
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n);
    if (n.isComplex) this.errorf(`complex constants are not supported: ${n.text}`);
    const isHexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) {
      return n.float;
    }
    if (n.isInt) return n.int;
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Arg[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final, this.dotIface);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Arg[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === "nil") {
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    }
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Arg[], final: Final): unknown {
    this.at(v);
    const variable = this.variable(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(
      dot,
      variable.value,
      v,
      v.ident.slice(1),
      args,
      final,
      variable.iface === true,
    );
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Node,
    ident: string[],
    args: Arg[],
    final: Final,
    receiverIface = false,
  ): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      const fromMap = isPlainMap(receiver);
      receiver = this.evalField(dot, ident[i], node, [], NO_FINAL, receiver, receiverIface);
      // A map[string]interface{} element has static type interface{}.
      receiverIface = fromMap && typeName(receiver) !== "map[string]string";
    }
    return this.evalField(dot, ident[n - 1], node, args, final, receiver, receiverIface);
  }

  private evalField(
    dot: unknown,
    fieldName: string,
    node: Node,
    args: Arg[],
    final: Final,
    receiver: unknown,
    receiverIface = false,
  ): unknown {
    if (receiver === undefined) {
      if (this.env.missingKey === "error") {
        this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
      }
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== NO_FINAL;
    if (isPlainMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (Object.hasOwn(receiver, fieldName)) {
        const v = receiver[fieldName];
        return v === undefined ? null : v;
      }
      switch (this.env.missingKey) {
        case "zero":
          return zeroOfMapElem(receiver);
        case "error":
          this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
      }
      return undefined;
    }
    if (isStruct(receiver)) {
      const member = (receiver as Record<string, unknown>)[fieldName];
      const own = Object.hasOwn(receiver, fieldName);
      if (typeof member === "function" && !own) {
        return this.evalMethod(
          dot,
          receiver,
          member as (...a: unknown[]) => unknown,
          node,
          fieldName,
          args,
          final,
        );
      }
      if (own || fieldName in receiver) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return member === undefined ? null : member;
      }
    }
    const type = receiverIface ? "interface {}" : typeName(receiver);
    this.errorf(`can't evaluate field ${fieldName} in type ${type}`);
  }

  private evalMethod(
    dot: unknown,
    receiver: object,
    method: (...a: unknown[]) => unknown,
    node: Node,
    name: string,
    args: Arg[],
    final: Final,
  ): unknown {
    // Go checks a method's arity first; a JS method's length is its declared parameter count.
    const numIn = Math.max(args.length - 1, 0) + (final !== NO_FINAL ? 1 : 0);
    if (numIn !== method.length) {
      this.errorf(`wrong number of args for ${name}: want ${method.length} got ${numIn}`);
    }
    const argv = args.slice(1).map((a) => this.evalArg(dot, "any", a));
    if (final !== NO_FINAL) argv.push(final === undefined ? null : final);
    try {
      const v = method.apply(receiver, argv);
      return v === undefined ? null : v;
    } catch (e) {
      this.at(node);
      this.callError(name, e);
    }
  }

  private callError(name: string, e: unknown): never {
    // A budget stop is not the function's error: it ends the whole render, unwrapped.
    if (e instanceof RenderBudgetError) {
      if (e.located) throw e;
      throw new RenderBudgetError(
        this.tree.name,
        e.limit,
        `${this.location()}: error calling ${name}: ${e.message}`,
      );
    }
    if (e instanceof ExecError) {
      // A nested execution (Helm's include/tpl) failed: Go wraps its message.
      this.errorf(`error calling ${name}: ${e.message}`, e);
    }
    if (e instanceof GoFuncError || e instanceof GoPanic) {
      this.errorf(`error calling ${name}: ${e.message}`, e);
    }
    if (isStackOverflow(e)) throw e;
    const message = e instanceof Error ? e.message : String(e);
    this.errorf(`error calling ${name}: ${message}`, e);
  }

  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: Node,
    args: Arg[],
    final: Final,
  ): unknown {
    this.at(node);
    const name = node.ident;
    const fn = this.env.lookupFunc(name);
    if (fn) return this.evalCall(dot, fn, cmd, name, args, final);
    const builtin = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (!builtin) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    if (name === "and" || name === "or") return this.evalAndOr(dot, name, args, final);
    return this.evalCall(dot, builtin, cmd, name, args, final);
  }

  private evalAndOr(dot: unknown, name: string, args: Arg[], final: Final): unknown {
    const rest = args.slice(1);
    if (rest.length + (final !== NO_FINAL ? 1 : 0) < 1) {
      this.errorf(`wrong number of args for ${name}: want at least 1 got ${rest.length}`);
    }
    let v: unknown;
    for (const arg of rest) {
      v = this.evalArg(dot, "value", arg);
      if (isTrue(v) === (name === "or")) return v;
    }
    if (final !== NO_FINAL) v = final;
    return v;
  }

  private evalCall(
    dot: unknown,
    fn: GoFunc,
    node: Node,
    name: string,
    args: Arg[],
    final: Final,
  ): unknown {
    const rest = args.slice(1);
    const hasFinal = final !== NO_FINAL;
    const numIn = rest.length + (hasFinal ? 1 : 0);
    let argv: unknown[];
    if (isTypedFunc(fn)) {
      const params = fn.params;
      const numFixed = params.length;
      if (fn.variadic) {
        if (numIn < numFixed) {
          this.errorf(
            `wrong number of args for ${name}: want at least ${numFixed} got ${rest.length}`,
          );
        }
      } else if (numIn !== numFixed) {
        this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
      }
      argv = [];
      let i = 0;
      for (; i < numFixed && i < rest.length; i++) argv.push(this.evalArg(dot, params[i], rest[i]));
      if (fn.variadic) {
        for (; i < rest.length; i++) argv.push(this.evalArg(dot, fn.variadic, rest[i]));
      }
      if (hasFinal) {
        const t = numIn - 1 < numFixed ? params[numIn - 1] : fn.variadic!;
        argv.push(this.validateType(final, t));
      }
    } else {
      argv = rest.map((a) => this.evalArg(dot, "any", a));
      if (hasFinal) argv.push(this.validateType(final, "any"));
    }
    let v: unknown;
    try {
      const call = (isTypedFunc(fn) ? fn.fn : fn) as (this: unknown, ...a: unknown[]) => unknown;
      v = call.apply({ name }, argv);
    } catch (e) {
      this.at(node);
      this.callError(name, e);
    }
    if (typeof v === "string") this.budget.checkOutput(v.length, this.where);
    return v === undefined ? null : v;
  }

  private evalArg(dot: unknown, typ: ParamType | null, n: Arg): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === null || canBeNil(typ)) return null;
        this.errorf(`cannot assign nil to ${paramTypeName(typ)}`);
        break;
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], NO_FINAL), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], NO_FINAL), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, [], NO_FINAL), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], NO_FINAL), typ);
    }
    switch (typ) {
      case null:
      case "any":
      case "value":
        return this.evalConstant(n);
      case "bool":
        if (n.type === "bool") return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case "float64":
        if (n.type === "number" && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case "int":
      case "int64":
        if (n.type === "number" && n.isInt) {
          return typ === "int" ? n.int : new GoInt(n.int, "int64");
        }
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case "uint32":
        if (n.type === "number" && n.isUint) return new GoInt(BigInt.asUintN(32, n.int), "uint32");
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
        break;
      case "string":
        if (n.type === "string") return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${paramTypeName(typ)}`);
  }

  private evalConstant(n: Arg): unknown {
    switch (n.type) {
      case "bool":
        return n.value;
      case "number":
        return this.idealConstant(n);
      case "string":
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private validateType(value: unknown, typ: ParamType | null): unknown {
    if (value === undefined) {
      if (typ === null || typ === "value") return undefined;
      if (canBeNil(typ)) return null;
      this.errorf(`invalid value; expected ${paramTypeName(typ)}`);
    }
    if (typ === null || typ === "any" || typ === "value") return value;
    if (value === null) {
      this.errorf(`wrong type for value; expected ${paramTypeName(typ)}; got interface {}`);
    }
    if (!assignable(value, typ)) {
      this.errorf(`wrong type for value; expected ${paramTypeName(typ)}; got ${typeName(value)}`);
    }
    return value;
  }

  // ---- variables ----

  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i];
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        this.vars[i].iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- output ----

  private printValue(node: Node, v: unknown): void {
    this.at(node);
    if (v === undefined || v === null) {
      this.emit("<no value>");
      return;
    }
    if (typeof v === "function") {
      this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    }
    this.emit(typeof v === "string" ? v : sprint([v]));
  }
}

function isStackOverflow(e: unknown): boolean {
  // No regular expression here: compiling one can itself overflow the exhausted stack.
  return e instanceof RangeError && e.message.includes("call stack");
}

const BREAK = new LoopControl("break");
const CONTINUE = new LoopControl("continue");

function canBeNil(t: ParamType): boolean {
  return t === "any" || t === "value" || t === "map" || t === "[]any" || t === "[]string";
}

function assignable(v: unknown, t: ParamType): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int":
      return typeof v === "bigint";
    case "int64":
    case "uint32":
      return v instanceof GoInt && v.kind === t;
    case "float64":
      return typeof v === "number";
    case "map":
      return isPlainMap(v) && !String((v as { [GO_TYPE]?: string })[GO_TYPE] ?? "").startsWith(
        "map[string]s",
      );
    case "[]any":
      return Array.isArray(v) && typeName(v) === "[]interface {}";
    case "[]string":
      return Array.isArray(v) && typeName(v) === "[]string";
  }
  return true;
}

function zeroOfMapElem(m: object): unknown {
  const t = (m as { [GO_TYPE]?: string })[GO_TYPE];
  if (t === "map[string]string") return "";
  return null;
}

function byteLength(s: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : new TextEncoder().encode(s).length;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

export type { ListNode };
