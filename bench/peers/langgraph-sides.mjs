/**
 * The LangGraph.js sides of bench/workflow-throughput.ts, in JavaScript so that Orkestra's
 * typecheck does not need these packages (they live in bench/peers/node_modules only); the
 * types are in langgraph-sides.d.mts.
 *
 * The graph: a StateGraph of three no-op nodes in sequence (START → a → b → c → END), each
 * thread a new run, invoked with `durability: "sync"`: the checkpoint of a step is saved
 * before the next step starts (LangGraph 1.x; its default, "async", saves while the next step
 * already runs).
 */
import { randomUUID } from "node:crypto";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

const State = Annotation.Root({
  count: Annotation({ reducer: (left, right) => left + right, default: () => 0 }),
});

function threeNodeGraph(checkpointer) {
  const noOp = async () => ({});
  return new StateGraph(State)
    .addNode("a", noOp)
    .addNode("b", noOp)
    .addNode("c", noOp)
    .addEdge(START, "a")
    .addEdge("a", "b")
    .addEdge("b", "c")
    .addEdge("c", END)
    .compile({ checkpointer });
}

function sideOf(checkpointer, close) {
  const graph = threeNodeGraph(checkpointer);
  return {
    async runOnce() {
      await graph.invoke(
        { count: 0 },
        { configurable: { thread_id: randomUUID() }, durability: "sync" },
      );
      return 1;
    },
    close,
  };
}

/** SqliteSaver on a file (it sets WAL; better-sqlite3's build makes WAL synchronous=NORMAL). */
export function langGraphSqliteSide(path) {
  const saver = SqliteSaver.fromConnString(path);
  return sideOf(saver, async () => {
    saver.db.close();
  });
}

/** PostgresSaver on its own pg.Pool (default size 10, like Orkestra's) in `schema`. */
export async function langGraphPostgresSide(url, schema) {
  const saver = PostgresSaver.fromConnString(url, { schema });
  await saver.setup();
  return sideOf(saver, () => saver.end());
}
