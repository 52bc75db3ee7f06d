/** A step as graph analysis sees it. */
export interface GraphNode {
  id: string;
  needs: readonly string[];
  /** The step's own estimate, ms; wins over any per-model estimate. */
  estimateMs?: number;
  /** The model aliases the step calls (a fanout calls several, at once). */
  models?: readonly string[];
}
