// The parse tree of a template, mirroring Go's text/template/parse nodes. `toString()` renders
// a node the way Go's Node.String() does, because execution errors quote it (`at <.a.b>`).
import { goQuote } from "./lex.ts";
import type { NumberValue } from "./number.ts";

/** What every node knows: where it is, for error messages. */
interface Base {
  /** Offset in the source text of the tree. */
  pos: number;
  tree: Tree;
}

/** One parsed template body (Go's parse.Tree). */
export interface Tree {
  name: string;
  /** The name the text was parsed under; error locations use it. */
  parseName: string;
  text: string;
  root: ListNode;
}

export interface ListNode extends Base {
  type: "list";
  nodes: Node[];
}
export interface TextNode extends Base {
  type: "text";
  text: string;
}
export interface ActionNode extends Base {
  type: "action";
  line: number;
  pipe: PipeNode;
}
export interface PipeNode extends Base {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base {
  type: "command";
  args: Arg[];
}
export interface IdentifierNode extends Base {
  type: "identifier";
  ident: string;
}
export interface VariableNode extends Base {
  type: "variable";
  ident: string[];
}
export interface DotNode extends Base {
  type: "dot";
}
export interface NilNode extends Base {
  type: "nil";
}
export interface FieldNode extends Base {
  type: "field";
  ident: string[];
}
export interface ChainNode extends Base {
  type: "chain";
  node: Arg;
  field: string[];
}
export interface BoolNode extends Base {
  type: "bool";
  value: boolean;
}
/** A number constant: its text and what Go's parser made of it. */
export interface NumberNode extends Base, NumberValue {
  type: "number";
  text: string;
}
export interface StringNode extends Base {
  type: "string";
  quoted: string;
  text: string;
}
export interface BranchNode extends Base {
  type: "if" | "range" | "with";
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends Base {
  type: "template";
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface LoopNode extends Base {
  type: "break" | "continue";
  line: number;
}
/** Markers the parser uses internally to end a list. */
export interface EndNode extends Base {
  type: "end" | "else";
  line: number;
}

/** Nodes that can appear as a command argument. */
export type Arg =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node =
  | ListNode
  | TextNode
  | ActionNode
  | BranchNode
  | TemplateNode
  | LoopNode
  | EndNode
  | CommandNode
  | Arg;

/** Go's Node.String() for any node. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "list":
      return n.nodes.map(nodeString).join("");
    case "text":
      return goQuote(n.text);
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ");
      }
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a)).join(
        " ",
      );
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return n.ident.map((f) => "." + f).join("");
    case "chain": {
      const inner = n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.field.map((f) => "." + f).join("");
    }
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "if":
    case "range":
    case "with": {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return s + "{{end}}";
    }
    case "template":
      return n.pipe
        ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${goQuote(n.name)}}}`;
    case "break":
    case "continue":
      return `{{${n.type}}}`;
    case "end":
    case "else":
      return `{{${n.type}}}`;
  }
}

/** Go's parse.IsEmptyTree: only spaces and comments. */
export function isEmptyTree(n: Node | null): boolean {
  if (!n) return true;
  switch (n.type) {
    case "list":
      return n.nodes.every(isEmptyTree);
    case "text":
      return n.text.trim().length === 0;
    default:
      return false;
  }
}
