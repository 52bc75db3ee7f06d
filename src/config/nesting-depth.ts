/**
 * The deepest nesting in YAML text, found without parsing it: the YAML parser recurses per
 * level and overflows the stack on a few thousand (`maximum call stack size exceeded`). Block
 * levels are counted by indentation and leading `- `, flow levels by `[` and `{` outside
 * quotes and comments. An approximation that never undercounts by much, which is all a
 * generous limit needs.
 */
export function deepestNesting(text: string, limit: number): { depth: number; offset: number } {
  const indents: number[] = [];
  let flow = 0;
  let offset = 0;
  for (const line of text.split("\n")) {
    const content = line.trimStart();
    if (flow === 0 && content !== "" && !content.startsWith("#")) {
      const indent = line.length - content.length;
      while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop();
      indents.push(indent);
    }
    const dashes = flow === 0 ? (/^(?:-\s+)+/.exec(content)?.[0].match(/-/g)?.length ?? 0) : 0;
    let quote: string | undefined;
    for (let index = 0; index < line.length; index += 1) {
      const character = line[index];
      if (quote !== undefined) {
        if (character === quote) quote = undefined;
        continue;
      }
      if (character === '"' || character === "'") quote = character;
      else if (character === "#" && (index === 0 || /\s/.test(line[index - 1] ?? ""))) break;
      else if (character === "[" || character === "{") {
        flow += 1;
        if (indents.length + dashes + flow > limit) {
          return { depth: indents.length + dashes + flow, offset: offset + index };
        }
      } else if ((character === "]" || character === "}") && flow > 0) flow -= 1;
    }
    if (indents.length + dashes > limit) return { depth: indents.length + dashes, offset };
    offset += line.length + 1;
  }
  return { depth: indents.length, offset };
}
