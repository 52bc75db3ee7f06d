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

/** Counts a PreparedQueryPerCount keeps compiled at once. */
const MAX_COUNTS = 64;

/**
 * A statement whose text depends on a count (of rows, of lines) but not on the values: one
 * PreparedQuery per count, built by `build(count, parameter, tag)` the first time `run` sees
 * that count. The caller holds this one object and runs it with a count, so a hot path looks
 * up its prepared text here, not through a lookup function of its own per statement.
 */
export class PreparedQueryPerCount<Row> {
  readonly #build: (
    count: number,
    parameter: (index: number) => Parameter,
    tag: Sql,
  ) => RawBuilder<Row>;
  readonly #byCount = new Map<number, PreparedQuery<Row>>();

  constructor(
    build: (count: number, parameter: (index: number) => Parameter, tag: Sql) => RawBuilder<Row>,
  ) {
    this.#build = build;
  }

  /** Runs the statement for `count` with `values` on `runner`, like PreparedQuery.run. */
  run<Tables>(
    runner: Kysely<Tables>,
    count: number,
    values: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    let prepared = this.#byCount.get(count);
    if (!prepared) {
      // Counts are few in practice; the bound keeps an odd workload from piling up texts.
      if (this.#byCount.size >= MAX_COUNTS) {
        const oldest = this.#byCount.keys().next().value;
        if (oldest !== undefined) this.#byCount.delete(oldest);
      }
      const build = this.#build;
      prepared = new PreparedQuery<Row>((parameter, tag) => build(count, parameter, tag));
      this.#byCount.set(count, prepared);
    }
    return prepared.run(runner, values);
  }
}

/** How one column's value is written in a row of a PreparedRowsQuery (a cast, or as is). */
export type RowCell = (value: unknown, tag: Sql) => unknown;

/**
 * A statement over a list of rows (a multi-row `VALUES`, e.g. `INSERT … VALUES …` or
 * `WITH v(…) AS (VALUES …) UPDATE … FROM v`), prepared like a PreparedQuery once per row
 * count: `cells` says how each column's value is written (`(value, sql) => sql\`cast(${value}
 * as bigint)\``), `build` puts the rows, already joined as `(…), (…)`, into the statement.
 * A batch writer then pays for compiling only the first time it sees a batch of that size.
 */
export class PreparedRowsQuery<Row> {
  readonly #width: number;
  readonly #perSize: PreparedQueryPerCount<Row>;

  constructor(
    cells: readonly RowCell[],
    build: (rows: RawBuilder<unknown>, tag: Sql) => RawBuilder<Row>,
  ) {
    this.#width = cells.length;
    this.#perSize = new PreparedQueryPerCount<Row>((size, parameter, tag) => {
      const rows = Array.from(
        { length: size },
        (_, row) =>
          tag`(${tag.join(cells.map((cell, column) => cell(parameter(row * cells.length + column), tag)))})`,
      );
      return build(tag.join(rows), tag);
    });
  }

  /** Runs the statement over `rows` (each with one value per cell) on `runner`. */
  run<Tables>(
    runner: Kysely<Tables>,
    rows: readonly (readonly unknown[])[],
  ): Promise<QueryResult<Row>> {
    const width = this.#width;
    const values: unknown[] = [];
    for (const row of rows) {
      if (row.length !== width)
        throw new TypeError(`a row of ${row.length} values for ${width} cells`);
      for (const value of row) values.push(value);
    }
    return this.#perSize.run(runner, rows.length, values);
  }
}
