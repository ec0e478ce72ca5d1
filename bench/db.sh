#!/usr/bin/env bash
# bench/db.sh: the database jobs of bench/run.sh and their baselines.
#
#   bench/db.sh sqlite-import SCHEMA.sql CSVDIR TARGET   the sqlite3 shell's .import baseline
#   bench/db.sh pg-load EXPORT URL SCHEMA OUTDIR         export load into a new schema
#   bench/db.sh pg-reload EXPORT URL SCHEMA OUTDIR       export load into a schema that holds OUTDIR already
#   bench/db.sh pg-copy EXPORT URL SCHEMA CSVDIR         psql \copy baseline into a new schema
#
# The baselines load the same CSV tables into the same tables, created
# first with their keys and checks (figures.sqlite's own DDL; export load
# --print-sql), in one transaction. The CSV files hold what neither
# .import nor \copy reads as such (true/false for a boolean, an empty cell
# for NULL in .import, ;-joined lists for a JSON array or text[]), so each
# reads a file into a staging table and converts it with one INSERT ...
# SELECT, as a user of those tools would. Each prints "TABLE: N rows" for
# the checks of run.sh.
set -euo pipefail

kinds=(investment_totals enterprise_counts agreement_counts)

header() { head -n 1 "$1" | tr -d '\r'; }

case $1 in
sqlite-import)
	ddl=$2 csv=$3 target=$4
	rm -f "$target"
	{
		echo "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		cat "$ddl"
		echo "BEGIN;"
		for t in sources "${kinds[@]}"; do
			cols=$(header "$csv/$t.csv")
			echo "CREATE TEMP TABLE \"s_$t\"($cols);"
			echo ".import --csv --skip 1 '$csv/$t.csv' s_$t"
			sel=$(awk -v t="$t" -F, '{
				for (i = 1; i <= NF; i++) {
					c = "\"" $i "\""
					if ($i == "quote_verified") e = c " = '\''true'\''"
					else if ($i == "sectors" || $i == "areas" || $i == "parties") e = "CASE WHEN " c " = '\'''\'' THEN NULL ELSE '\''[\"'\'' || replace(" c ", '\'';'\'', '\''\",\"'\'') || '\''\"]'\'' END"
					else e = "NULLIF(" c ", '\'''\'')"
					printf "%s%s", (i > 1 ? ", " : ""), e
				}
			}' <<<"$cols")
			echo "INSERT INTO \"$t\" ($cols) SELECT $sel FROM \"s_$t\";"
		done
		echo "COMMIT;"
		for t in "${kinds[@]}"; do echo "SELECT '$t: ' || count(*) || ' rows' FROM \"$t\";"; done
	} | sqlite3 "$target"
	;;
pg-load)
	export=$2 url=$3 schema=$4 dir=$5
	psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS \"$schema\" CASCADE"
	"$export" load --quiet --postgres "$url" --schema "$schema" "$dir"
	for t in "${kinds[@]}"; do
		psql -X -A -t -d "$url" -c "SELECT '$t: ' || count(*) || ' rows' FROM \"$schema\".\"$t\""
	done
	;;
pg-reload)
	export=$2 url=$3 schema=$4 dir=$5
	"$export" load --quiet --postgres "$url" --schema "$schema" "$dir"
	for t in "${kinds[@]}"; do
		psql -X -A -t -d "$url" -c "SELECT '$t: ' || count(*) || ' rows' FROM \"$schema\".\"$t\""
	done
	;;
pg-copy)
	export=$2 url=$3 schema=$4 csv=$5
	{
		echo "SET client_min_messages = warning; DROP SCHEMA IF EXISTS \"$schema\" CASCADE;"
		echo "BEGIN;"
		"$export" load --print-sql --schema "$schema"
		for t in sources "${kinds[@]}"; do
			cols=$(header "$csv/$t.csv")
			echo "CREATE TEMP TABLE \"s_$t\" (LIKE \"$schema\".\"$t\");"
			for l in sectors areas parties; do
				if [[ ",$cols," == *",$l,"* ]]; then echo "ALTER TABLE \"s_$t\" ALTER COLUMN \"$l\" TYPE text;"; fi
			done
			echo "\\copy \"s_$t\" ($cols) FROM '$csv/$t.csv' WITH (FORMAT csv, HEADER true)"
			sel=$(awk -F, '{
				for (i = 1; i <= NF; i++) {
					c = "\"" $i "\""
					if ($i == "sectors" || $i == "areas" || $i == "parties") e = "string_to_array(" c ", '\'';'\'')"
					else e = c
					printf "%s%s", (i > 1 ? ", " : ""), e
				}
			}' <<<"$cols")
			echo "INSERT INTO \"$schema\".\"$t\" ($cols) SELECT $sel FROM \"s_$t\";"
		done
		echo "COMMIT;"
		for t in "${kinds[@]}"; do echo "SELECT '$t: ' || count(*) || ' rows' FROM \"$schema\".\"$t\";"; done
	} | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url"
	;;
*)
	echo "usage: bench/db.sh sqlite-import|pg-load|pg-reload|pg-copy ..." >&2
	exit 2
	;;
esac
