import {
  CompiledQuery,
  type Kysely,
  type QueryResult,
  type RawBuilder,
  type Sql,
  sql,
} from "kysely";

/** Where the value of parameter `index` goes in a prepared query's text. */
class Parameter {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

/**
 * A raw SQL text compiled once by the store's dialect (placeholders `?` or `$n`) and then run
 * with fresh values, so a hot path pays neither Kysely's builder nor its compiler per call:
 * `build` writes the query with `parameter(i)` where value `i` of `run` goes, and may use a
 * parameter more than once.
 */
export class PreparedQuery<Row> {
  readonly #build: (parameter: (index: number) => Parameter, tag: Sql) => RawBuilder<Row>;
  /** Per store (its dialect's adapter, shared by its transactions): placeholders differ. */
  readonly #compiled = new WeakMap<object, { sql: string; slots: readonly number[] }>();

  constructor(build: (parameter: (index: number) => Parameter, tag: Sql) => RawBuilder<Row>) {
    this.#build = build;
  }

  /** Runs the query with `values` on `runner` (the store's `db`, or a transaction), compiling it for `runner`'s store the first time. */
  run<Tables>(runner: Kysely<Tables>, values: readonly unknown[]): Promise<QueryResult<Row>> {
    const adapter = runner.getExecutor().adapter;
    let compiled = this.#compiled.get(adapter);
    if (!compiled) {
      compiled = this.#compile(runner);
      this.#compiled.set(adapter, compiled);
    }
    const { sql: text, slots } = compiled;
    const parameters: unknown[] = [];
    for (const slot of slots) parameters.push(values[slot]);
    return runner.executeQuery(CompiledQuery.raw(text, parameters) as CompiledQuery<Row>);
  }

  #compile<Tables>(runner: Kysely<Tables>): { sql: string; slots: readonly number[] } {
    const compiled = this.#build((index) => new Parameter(index), sql).compile(runner);
    const slots = compiled.parameters.map((value) => {
      if (!(value instanceof Parameter))
        throw new TypeError("a prepared query takes parameter(i) only");
      return value.index;
    });
    return { sql: compiled.sql, slots };
  }
}
