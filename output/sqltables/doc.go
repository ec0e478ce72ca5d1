// Package sqltables describes the tables that export writes into a
// database, once for every database: figures.sqlite (package output) and
// PostgreSQL (package output/pgload, export load) render their DDL from
// the same Tables, so that the two cannot drift apart.
//
// Everything is generated from package schema: a table per kind and one of
// sources, with the columns of the CSV files (schema.Kind.TableColumns), their
// types from schema.Column.Type, NOT NULL from AlwaysPresent, CHECKs from
// Constraints and the kind's cross-field rules, comments from Doc and
// Describe. A list column (sectors, areas, parties), derived and stated also
// get a child table with one row per value, keyed by the record's id, so that
// a BI tool can filter on them:
//
//	investment_total_sectors(id, position, sector)
//	investment_total_derived(id, field, reason)
//	investment_total_stated(id, field, text, start, "end")
//
// The `figures` view puts every kind's main figure (amount, enterprises,
// documents) and the columns every kind has into one table, and `_columns`
// and `_tables` are the data dictionary (SQLite has no comments; PostgreSQL
// gets COMMENT ON as well).
//
// Types, in SQLite and PostgreSQL:
//
//	schema    SQLite (declared; what is stored)          PostgreSQL
//	string    TEXT (text)                                text
//	integer   INTEGER (integer)                          integer when its bounds fit 32 bits, else bigint
//	number    DECIMAL(18,3) (integer or real: 15         numeric(18,3)
//	          significant digits round-trip exactly)
//	date      DATE (text YYYY-MM-DD, a real date)        date
//	boolean   BOOLEAN (integer 0 or 1)                   boolean
//	list      TEXT (a JSON array)                        text[]
//	derived   TEXT (one "field: reason" per line, as CSV) text
//
// SQLite tables are not STRICT (STRICT refuses DATE and DECIMAL, by which BI
// tools recognise dates and numbers), so each column's CHECK also states the
// type: typeof(x) = 'integer', a date that date() gives back unchanged, 0 or
// 1 for a boolean. Patterns, which SQLite cannot match without an extension,
// are translated into GLOB (see globExpr). Identifiers are always quoted.
package sqltables
