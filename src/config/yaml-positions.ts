import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";

/** A 1-based position in the file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where a key path sits in the YAML source. `target: "key"` points at the key itself
 * (for unknown or misnamed keys); `"value"` points at the value. When the path does not exist
 * (a missing required key), the answer is the key of the nearest existing parent, which is where
 * the user has to add it. Undefined only when nothing along the path came from the file, such as
 * the built-in `sim` model.
 */
export function locateInDocument(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  target: "key" | "value",
): SourcePosition | undefined {
  const positionOf = (node: unknown): SourcePosition | undefined => {
    if (!isNodeWithRange(node)) return undefined;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return { line, column: col };
  };
  let node: unknown = document.contents;
  let parentPosition = positionOf(node);
  let keyPosition = parentPosition;
  let valuePosition = parentPosition;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyMatches(item.key, segment));
      if (pair === undefined) return parentPosition;
      keyPosition = positionOf(pair.key) ?? parentPosition;
      // `model:` with nothing after it has no value node; point at its key.
      valuePosition = positionOf(pair.value) ?? keyPosition;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) return parentPosition;
      keyPosition = positionOf(item) ?? parentPosition;
      valuePosition = keyPosition;
      node = item;
    } else {
      return parentPosition;
    }
    // A key missing one level down is reported at this key: a block mapping's value starts at
    // its first child, which would point at an unrelated line.
    parentPosition = keyPosition;
  }
  return target === "key" ? keyPosition : valuePosition;
}

function keyMatches(key: unknown, segment: PropertyKey): boolean {
  const value = isScalar(key) ? key.value : key;
  return value !== null && value !== undefined && String(value) === String(segment);
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
  return (
    typeof node === "object" &&
    node !== null &&
    "range" in node &&
    Array.isArray((node as { range: unknown }).range)
  );
}
