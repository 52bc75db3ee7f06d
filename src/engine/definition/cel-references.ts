import type { ASTNode } from "@marcbachmann/cel-js";

/** A name the expression reads: `steps.pacing.text` is root `steps`, segments `pacing`, `text`. */
export interface CelReference {
  root: string;
  /** The literal member names after the root, up to the first computed index. */
  segments: readonly string[];
}

/** Macros whose first argument names a variable bound in the others: `list.exists(x, x > 1)`. */
const BINDING_MACROS = new Set(["all", "exists", "exists_one", "map", "filter", "transformList"]);

/** Every variable reference of a parsed CEL expression, macro-bound names excluded. */
export function celReferences(root: ASTNode): CelReference[] {
  const references: CelReference[] = [];
  visit(root, new Set(), references);
  return references;
}

function visit(node: ASTNode, bound: ReadonlySet<string>, references: CelReference[]): void {
  switch (node.op) {
    case "value":
      return;
    case "id":
      if (!bound.has(node.args)) references.push({ root: node.args, segments: [] });
      return;
    case ".":
    case ".?":
    case "[]":
    case "[?]": {
      const chain = memberChain(node);
      if (chain !== undefined) {
        if (!bound.has(chain.root)) references.push(chain);
        return;
      }
      visit(node.args[0], bound, references);
      if (node.op === "[]" || node.op === "[?]") visit(node.args[1], bound, references);
      return;
    }
    case "call":
      for (const argument of node.args[1]) visit(argument, bound, references);
      return;
    case "rcall": {
      const [name, receiver, argumentList] = node.args;
      const [first, ...rest] = argumentList;
      if (
        receiver.op === "id" &&
        receiver.args === "cel" &&
        name === "bind" &&
        first?.op === "id"
      ) {
        const [initial, body] = rest;
        if (initial !== undefined) visit(initial, bound, references);
        if (body !== undefined) visit(body, new Set([...bound, first.args]), references);
        return;
      }
      visit(receiver, bound, references);
      if (BINDING_MACROS.has(name) && first?.op === "id") {
        const inner = new Set([...bound, first.args]);
        for (const argument of rest) visit(argument, inner, references);
        return;
      }
      for (const argument of argumentList) visit(argument, bound, references);
      return;
    }
    case "list":
      for (const item of node.args) visit(item, bound, references);
      return;
    case "map":
      for (const [key, value] of node.args) {
        visit(key, bound, references);
        visit(value, bound, references);
      }
      return;
    case "!_":
    case "-_":
      visit(node.args, bound, references);
      return;
    default:
      // Binary operators, `&&`, `||` and `?:`: every operand is an expression.
      for (const operand of node.args as readonly ASTNode[]) visit(operand, bound, references);
  }
}

/** `a.b["c"].d` → root a, segments b, c, d; undefined when the chain has a computed index. */
function memberChain(node: ASTNode): CelReference | undefined {
  const segments: string[] = [];
  let current: ASTNode = node;
  for (;;) {
    if (current.op === "." || current.op === ".?") {
      segments.unshift(current.args[1]);
      current = current.args[0];
    } else if (current.op === "[]" || current.op === "[?]") {
      const index = current.args[1];
      if (index.op !== "value" || typeof index.args !== "string") return undefined;
      segments.unshift(index.args);
      current = current.args[0];
    } else if (current.op === "id") {
      return { root: current.args, segments };
    } else {
      return undefined;
    }
  }
}
