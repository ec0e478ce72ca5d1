// Loads the export tool's output files into DuckDB (@duckdb/node-api) and
// prints, as JSON on stdout, what DuckDB made of each: the column types,
// the row count and the non-null count of every column. Used by
// output/duckdb_interop_test.go.
//
//   node load.mjs SPEC.json
//
// SPEC.json is a list of {"path": ..., "sql": ...}: without "sql", the
// reader follows the extension (read_csv, read_json, read_parquet), with
// DuckDB's auto-detection; "sql" is a SELECT statement to run instead
// (the README's, which give every column's type).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const quote = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const ident = (s) => '"' + String(s).replaceAll('"', '""') + '"';

function reader(spec) {
  if (spec.sql) {
    return `(${spec.sql.replace(/;\s*$/, '')})`;
  }
  const p = quote(spec.path);
  if (spec.path.endsWith('.csv')) {
    return `read_csv(${p})`;
  }
  if (spec.path.endsWith('.jsonl')) {
    return `read_json(${p}, format = 'newline_delimited')`;
  }
  if (spec.path.endsWith('.parquet')) {
    return `read_parquet(${p})`;
  }
  throw new Error(`no reader for ${spec.path}`);
}

const specs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const results = [];
for (const spec of specs) {
  const from = reader(spec);
  const result = { path: spec.path, reader: from, columns: [], rows: 0, nonNull: {} };
  try {
    const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    for (const row of described.getRowObjectsJson()) {
      result.columns.push({ name: row.column_name, type: row.column_type });
    }
    const counts = ['count(*) AS "*"', ...result.columns.map((c) => `count(${ident(c.name)}) AS ${ident(c.name)}`)];
    const counted = await conn.runAndReadAll(`SELECT ${counts.join(', ')} FROM ${from}`);
    const row = counted.getRowObjectsJson()[0];
    result.rows = Number(row['*']);
    for (const c of result.columns) {
      result.nonNull[c.name] = Number(row[c.name]);
    }
  } catch (e) {
    result.error = String(e && e.message ? e.message : e);
  }
  results.push(result);
}
conn.closeSync();
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
