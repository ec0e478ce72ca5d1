#!/usr/bin/env bash
# bench/run.sh: time export side by side with the bare-Go floor (bench/floor)
# and with its peers, on the same synthetic records, and print a Markdown
# table of medians and ratios from this one run.
#
#   bench/run.sh                     # N=100000 records, R=3 repetitions
#   N=1000000 bench/run.sh           # the issue's measurement
#   N=5000000 R=1 bench/run.sh
#
# Settings (environment):
#   N        records (default 100000)
#   R        repetitions of every job (default 3); each repetition runs
#            every job once, in an order of its own (see "Run every job"
#            below), so that noise on a shared machine hits every job alike
#   KINDS    investment (default: 19-column investment totals) or mixed
#   INVALID  fraction of invalid records for the error-report job
#            (default 0.01; 0 leaves the job out, and so does an N too small
#            to make one invalid record: below 100 with 0.01)
#   SEED     generator seed (default 20080930)
#   QUOTES   verified (default: sources have texts, every quote is checked,
#            as in real runs) or unverified
#   WORK     scratch directory (default ${TMPDIR:-/tmp}/export-bench): data,
#            binaries, outputs; datasets are kept and reused
#   OUT      where the table is written too (default
#            $WORK/results-N$N-YYYYMMDDTHHMMSSZ.md, a new file every run)
#   EXPORT   an export binary to measure instead of building ./cmd/export
#            (to compare two versions, run twice with the same WORK); the
#            table then names the binary, not the checkout's commit
#   BASE     an earlier export binary (such as one built from the commit
#            before a change) whose export run also runs, as job
#            export_run_base, in the same repetitions: the table then gives
#            both ratios to the floor's XLSX writer from one run, and
#            export run's ratio to it
#   SKIP     jobs to leave out, space-separated, such as "xlsxwriter mlr"
#            (job names as in the progress lines on stderr)
#   PYTHON   python3 with XlsxWriter (default: the first of /usr/bin/python3
#            and python3 that has it)
#
# Jobs export_validate_pP and export_csvjson_pP run export on P cores
# (GOMAXPROCS=P) for each P of 1, 2, 4, 8, 16 below nproc; the lines under
# the table give the speedups, Amdahl's serial fraction and, for core counts
# the machine lacks, the speedups it predicts.
#
# Peers that are not installed (Miller: Debian package miller; Python
# XlsxWriter: python3-xlsxwriter) are left out with a line saying so. GNU
# time (/usr/bin/time, Debian package time) is required; as root the script
# installs it with apt-get when it is missing. python3 is required (it reads
# export's manifest and JSON report).
#
# Every job's work is checked after every run, so that a job that silently
# does less (skips rows, finds valid rows invalid, writes nothing) fails the
# script instead of making a fast row: the floor must print "MODE: N rows, 0
# invalid", export validate report N records and 0 errors, export run's
# manifest.json (written by this run) count N records in every format asked
# for, the error-report job report exactly the invalid records the generator
# made, and the XlsxWriter peer print "xlsxwriter: N rows" (Miller's output
# is not kept, so it is not checked). A job that exits with an unexpected
# code fails the script too. Each job's stdout and stderr of its last run are
# kept in $WORK/log.
#
# shellcheck disable=SC2034,SC2054
# (the job tables cmd_JOB, label_JOB... are read through declare -n and
# ${!name}; the commas in --formats csv,json are part of one argument)
set -euo pipefail

N=${N:-100000}
R=${R:-3}
KINDS=${KINDS:-investment}
INVALID=${INVALID:-0.01}
SEED=${SEED:-20080930}
QUOTES=${QUOTES:-verified}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/export-bench}
OUT=${OUT:-}
EXPORT_GIVEN=${EXPORT:-}
TIME=/usr/bin/time

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || die "N=$N: want a positive number"
[[ $R =~ ^[0-9]+$ && $R -gt 0 ]] || die "R=$R: want a positive number"
# Without an OUT, a new file per run, so that a second run with the same WORK
# (another EXPORT, say) does not overwrite the first one's table.
if [[ -z $OUT ]]; then
	OUT=$WORK/results-N$N-$(date -u +%Y%m%dT%H%M%SZ).md
	for ((i = 2; ; i++)); do
		[[ -e $OUT ]] || break
		OUT=$WORK/results-N$N-$(date -u +%Y%m%dT%H%M%SZ)-$i.md
	done
fi
PY3=/usr/bin/python3
[[ -x $PY3 ]] || PY3=$(command -v python3) || die "python3 is missing (it checks export's outputs): apt-get install python3"

if ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		say "installing GNU time (Debian package time)"
		apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
	fi
	"$TIME" -f '%e %M' true >/dev/null 2>&1 || die "GNU time is missing: apt-get install time"
fi

BIN=$WORK/bin
mkdir -p "$BIN" "$WORK/out"
say "building export, floor and gen into $BIN"
(cd "$ROOT" && go build -o "$BIN/floor" ./bench/floor && go build -o "$BIN/gen" ./bench/gen)
if [[ -n ${EXPORT:-} ]]; then
	EXPORT=$(cd "$(dirname "$EXPORT")" && pwd)/$(basename "$EXPORT")
	[[ -x $EXPORT ]] || die "EXPORT=$EXPORT is not an executable"
else
	(cd "$ROOT" && go build -o "$BIN/export" ./cmd/export)
	EXPORT=$BIN/export
fi
# The same export without the figure and country checks against the quote
# (-tags noevidence, for this measurement only): what the checks cost.
(cd "$ROOT" && go build -tags noevidence -o "$BIN/export-noevidence" ./cmd/export)

# gen DIR ARGS...: generate a dataset into DIR unless the same generator made
# it with the same arguments before. DIR/.invalid holds the number of invalid
# records, from gen's summary line ("gen: N KINDS records (K invalid; ...").
gen() {
	local dir=$1
	shift
	local stamp
	stamp="$(sha256sum "$BIN/gen" | cut -c1-16) $*"
	if [[ -f $dir/.stamp && -f $dir/.invalid && $(cat "$dir/.stamp") == "$stamp" ]]; then
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	say "generating $dir"
	if ! "$BIN/gen" -o "$dir/records.csv" "$@" 2>"$dir/.gen"; then
		cat "$dir/.gen" >&2
		die "gen failed"
	fi
	local bad
	bad=$(sed -n 's/^gen: .*(\([0-9][0-9]*\) invalid;.*/\1/p' "$dir/.gen")
	[[ -n $bad ]] || die "cannot read the number of invalid records from gen's summary: $(cat "$dir/.gen")"
	echo "$bad" >"$dir/.invalid"
	echo "$stamp" >"$dir/.stamp"
}
DATA=$WORK/data/$KINDS-$QUOTES-n$N-s$SEED
gen "$DATA" -n "$N" -kinds "$KINDS" -seed "$SEED" -quotes "$QUOTES"
CSV=$DATA/records.csv
SOURCES=$DATA/sources.yaml
[[ $(cat "$DATA/.invalid") == 0 ]] || die "$DATA: gen made $(cat "$DATA/.invalid") invalid records, want 0"
NBAD=0
if [[ $INVALID != 0 ]]; then
	BAD=$WORK/data/$KINDS-$QUOTES-n$N-s$SEED-invalid$INVALID
	gen "$BAD" -n "$N" -kinds "$KINDS" -seed "$SEED" -quotes "$QUOTES" -invalid "$INVALID"
	NBAD=$(cat "$BAD/.invalid")
fi

# The jobs: cmd_JOB is the command, expect_JOB its exit code (default 0),
# label_JOB the table's name for it, short_JOB the name it is compared by.
O=$WORK/out
jobs=()
notes=()
add() {
	if [[ " ${SKIP:-} " == *" $1 "* ]]; then
		notes+=("\`$1\` was left out (SKIP).")
		return
	fi
	jobs+=("$1")
}

cmd_floor_read=("$BIN/floor" -mode read "$CSV")
label_floor_read="floor: read (encoding/csv)"
short_floor_read="floor read"
cmd_floor_validate=("$BIN/floor" -mode validate "$CSV")
label_floor_validate="floor: read + validator Struct()"
short_floor_validate="floor validate"
cmd_floor_csv=("$BIN/floor" -mode csv -o "$O/floor-csv" "$CSV")
label_floor_csv="floor: read + write CSV (encoding/csv)"
short_floor_csv="floor csv"
cmd_floor_jsonl=("$BIN/floor" -mode jsonl -o "$O/floor-jsonl" "$CSV")
label_floor_jsonl="floor: read + write JSON Lines (encoding/json)"
short_floor_jsonl="floor jsonl"
cmd_floor_xlsx=("$BIN/floor" -mode xlsx -o "$O/floor-xlsx" "$CSV")
label_floor_xlsx="floor: read + write XLSX (excelize StreamWriter alone)"
short_floor_xlsx="floor xlsx"
cmd_floor_all=("$BIN/floor" -mode all -o "$O/floor-all" "$CSV")
label_floor_all="floor: read + validate + all three, one goroutine"
short_floor_all="floor all"
cmd_export_validate=("$EXPORT" validate --quiet "$CSV" "$SOURCES")
label_export_validate="export validate"
short_export_validate="export validate"
cmd_export_run=("$EXPORT" run --quiet -o "$O/export-run" --formats csv,xlsx,json "$CSV" "$SOURCES")
label_export_run="export run --formats csv,xlsx,json"
short_export_run="export run (csv,xlsx,json)"
cmd_export_csvjson=("$EXPORT" run --quiet -o "$O/export-csvjson" --formats csv,json "$CSV" "$SOURCES")
label_export_csvjson="export run --formats csv,json"
short_export_csvjson="export run (csv,json)"
cmd_export_noevidence=("$BIN/export-noevidence" validate --quiet "$CSV" "$SOURCES")
label_export_noevidence="export validate, without the figure and country checks (-tags noevidence)"
short_export_noevidence="export validate (no checks against the quote)"
for j in floor_read floor_validate floor_csv floor_jsonl floor_xlsx floor_all export_validate export_noevidence export_run export_csvjson; do
	add "$j"
done
if [[ -n ${BASE:-} ]]; then
	BASE=$(cd "$(dirname "$BASE")" && pwd)/$(basename "$BASE")
	[[ -x $BASE ]] || die "BASE=$BASE is not an executable"
	cmd_export_run_base=("$BASE" run --quiet -o "$O/export-run-base" --formats csv,xlsx,json "$CSV" "$SOURCES")
	label_export_run_base="export run --formats csv,xlsx,json, the BASE binary"
	short_export_run_base="export run (csv,xlsx,json) of BASE"
	add export_run_base
fi
# Parallel speedup (issue 15): export validate and export run --formats
# csv,json again on fewer cores (GOMAXPROCS=P for each P of 1, 2, 4, 8, 16
# below the machine's nproc), compared with the same job on every core.
NPROC=$(nproc)
CORES=()
for p in 1 2 4 8 16; do
	((p < NPROC)) && CORES+=("$p")
done
for p in "${CORES[@]}"; do
	declare -n cmd="cmd_export_validate_p$p"
	cmd=(env "GOMAXPROCS=$p" "$EXPORT" validate --quiet "$CSV" "$SOURCES")
	unset -n cmd
	printf -v "label_export_validate_p$p" 'export validate, GOMAXPROCS=%s' "$p"
	printf -v "short_export_validate_p$p" 'export validate on %s core%s' "$p" "$([[ $p == 1 ]] || echo s)"
	add "export_validate_p$p"
	declare -n cmd="cmd_export_csvjson_p$p"
	cmd=(env "GOMAXPROCS=$p" "$EXPORT" run --quiet -o "$O/export-csvjson-p$p" --formats csv,json "$CSV" "$SOURCES")
	unset -n cmd
	printf -v "label_export_csvjson_p$p" 'export run --formats csv,json, GOMAXPROCS=%s' "$p"
	printf -v "short_export_csvjson_p$p" 'export run (csv,json) on %s core%s' "$p" "$([[ $p == 1 ]] || echo s)"
	add "export_csvjson_p$p"
done
# on P: the job that runs JOB (export_validate or export_csvjson) on P
# cores: JOB itself on all of them.
on() {
	if (($2 == NPROC)); then echo "$1"; else echo "$1_p$2"; fi
}
if [[ $INVALID != 0 && $NBAD == 0 ]]; then
	notes+=("\`export_invalid\` was left out: INVALID=$INVALID of N=$N records makes no invalid record.")
elif [[ $INVALID != 0 ]]; then
	cmd_export_invalid=("$EXPORT" validate --quiet --report json "$BAD/records.csv" "$BAD/sources.yaml")
	expect_export_invalid=1
	label_export_invalid="export validate --report json, $INVALID invalid"
	short_export_invalid="export validate (invalid)"
	add export_invalid
fi
# The database jobs (issue 13): figures.sqlite against the sqlite3 shell's
# .import, export load against psql \copy, of the same CSV tables into the
# same tables (bench/db.sh). They need export's outputs of the dataset in
# the default formats (csv,xlsx,json: export load reads the CSV tables and
# figures.json, and checks every file), written once here (not timed), and
# for the PostgreSQL jobs a throwaway server started here (Debian's
# postgresql, as the postgres user) unless PGURL names one.
DBSRC=$O/db-source
db_wanted() { [[ " ${SKIP:-} " != *" $1 "* ]]; }
if db_wanted export_sqlite || db_wanted sqlite_import || db_wanted export_load || db_wanted export_reload || db_wanted psql_copy; then
	say "writing the outputs the database jobs load"
	"$EXPORT" run --quiet -o "$DBSRC" --formats csv,xlsx,json "$CSV" "$SOURCES" >/dev/null
fi
cmd_export_sqlite=("$EXPORT" run --quiet -o "$O/export-sqlite" --formats sqlite "$CSV" "$SOURCES")
label_export_sqlite="export run --formats sqlite"
short_export_sqlite="export run (sqlite)"
add export_sqlite
if command -v sqlite3 >/dev/null; then
	rm -rf "$O/sqlite-ddl"
	"$EXPORT" run --quiet -o "$O/sqlite-ddl" --formats sqlite >/dev/null 2>&1
	sqlite3 "$O/sqlite-ddl/figures.sqlite" .schema >"$O/sqlite-ddl.sql"
	cmd_sqlite_import=("$ROOT/bench/db.sh" sqlite-import "$O/sqlite-ddl.sql" "$DBSRC" "$O/sqlite-import.sqlite")
	label_sqlite_import="sqlite3 $(sqlite3 --version | awk '{print $1}') shell .import of the CSV tables"
	short_sqlite_import="sqlite3 .import"
	add sqlite_import
else
	notes+=("The sqlite3 shell is not installed (Debian package \`sqlite3\`): its row is left out.")
fi
PGBENCH=
if [[ -z ${PGURL:-} ]] && (db_wanted export_load || db_wanted export_reload || db_wanted psql_copy); then
	pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [[ -n $pgbin && $(id -u) == 0 ]] && command -v psql >/dev/null; then
		PGBENCH=$(mktemp -d)
		chown postgres:postgres "$PGBENCH"
		runuser -u postgres -- "$pgbin/initdb" -D "$PGBENCH/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
		pgport=$((55000 + RANDOM % 1000))
		runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGBENCH/data" -l "$PGBENCH/log" -w \
			-o "-k $PGBENCH -c listen_addresses=127.0.0.1 -p $pgport -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
		trap 'runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGBENCH/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGBENCH"' EXIT
		PGURL="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
	fi
fi
if [[ -n ${PGURL:-} ]]; then
	cmd_export_load=("$ROOT/bench/db.sh" pg-load "$EXPORT" "$PGURL" bench_load "$DBSRC")
	label_export_load="export load (PostgreSQL $(psql -X -A -t -d "$PGURL" -c 'SHOW server_version' | awk '{print $1}'))"
	short_export_load="export load"
	add export_load
	# The reload finds the same outputs in its schema, loaded here (not
	# timed): what a nightly load does when nothing changed.
	if db_wanted export_reload; then
		psql -X -q -d "$PGURL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench_reload CASCADE"
		"$EXPORT" load --quiet --postgres "$PGURL" --schema bench_reload "$DBSRC"
	fi
	cmd_export_reload=("$ROOT/bench/db.sh" pg-reload "$EXPORT" "$PGURL" bench_reload "$DBSRC")
	label_export_reload="export load into the tables it loaded before"
	short_export_reload="export load (again)"
	add export_reload
	cmd_psql_copy=("$ROOT/bench/db.sh" pg-copy "$EXPORT" "$PGURL" bench_copy "$DBSRC")
	label_psql_copy="psql \\copy of the CSV tables"
	short_psql_copy="psql \\copy"
	add psql_copy
else
	notes+=("PostgreSQL is not installed, or not as root, and PGURL names no server: the load rows are left out.")
fi
if command -v mlr >/dev/null; then
	cmd_mlr=(mlr --icsv --ojson cat "$CSV")
	label_mlr="Miller $(mlr --version | awk '{print $2}'): mlr --icsv --ojson cat"
	short_mlr="Miller"
	add mlr
else
	notes+=("Miller is not installed (Debian package \`miller\`): its row is left out.")
fi
if [[ -z ${PYTHON:-} ]]; then
	for p in /usr/bin/python3 python3; do
		if command -v "$p" >/dev/null && "$p" -c 'import xlsxwriter' 2>/dev/null; then
			PYTHON=$p
			break
		fi
	done
fi
if [[ -n ${PYTHON:-} ]]; then
	cmd_xlsxwriter=("$PYTHON" "$ROOT/bench/xlsxwriter_peer.py" "$CSV" "$O/xlsxwriter.xlsx")
	label_xlsxwriter="Python XlsxWriter $("$PYTHON" -c 'import xlsxwriter; print(xlsxwriter.__version__)') constant_memory"
	short_xlsxwriter="XlsxWriter"
	add xlsxwriter
else
	notes+=("Python XlsxWriter is not installed (Debian package \`python3-xlsxwriter\`): its row is left out.")
fi

# check JOB: fail unless JOB's last run did all its work (see the top).
# Its stdout is in $LOG/JOB.out; $LOG/JOB.start was touched just before it.
check() {
	local job=$1 out=$LOG/$1.out got want
	case $job in
	floor_*)
		got=$(cat "$out")
		want="${job#floor_}: $N rows, 0 invalid"
		[[ $got == "$want" ]] || fail "$job printed \"$got\", want \"$want\" (stdout: $out)"
		;;
	export_validate | export_noevidence | export_validate_p*)
		got=$(cat "$out")
		[[ $got =~ ^valid:\ $N\ records?\ .*[^0-9]0\ errors ]] ||
			fail "$job printed \"$got\", want \"valid: $N records in ..., 0 errors, ...\" (stdout: $out)"
		;;
	export_run | export_run_base | export_csvjson | export_sqlite | export_csvjson_p*)
		declare -n cmd="cmd_$job"
		local dir formats
		dir=$(arg -o "${cmd[@]}")
		formats=$(arg --formats "${cmd[@]}")
		unset -n cmd
		got=$("$PY3" - "$dir/manifest.json" "$LOG/$job.start" "$N" "$formats" 2>&1 <<-'EOF'
			import json, os, sys
			path, start, n, formats = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
			if not os.path.exists(path):
			    sys.exit(f"{path} is missing")
			if os.stat(path).st_mtime_ns < os.stat(start).st_mtime_ns:
			    sys.exit(f"{path} was not written by this run")
			m = json.load(open(path))
			bad = []
			if m["validation"]["errors"]:
			    bad.append(f'{m["validation"]["errors"]} validation errors')
			if sum(m["records"].values()) != n:
			    bad.append(f'{sum(m["records"].values())} records {m["records"]}, want {n}')
			for f in formats:
			    files = [x for x in m["files"] if x["format"] == f]
			    rows = sum(v for x in files for k, v in x["rows"].items() if k in m["records"])
			    if rows != n:
			        bad.append(f"{rows} records in {f} files {[x['name'] for x in files]}, want {n}")
			if bad:
			    sys.exit(f"{path}: " + "; ".join(bad))
			EOF
		) || fail "$job: $got"
		;;
	export_invalid)
		got=$("$PY3" - "$out" "$N" "$NBAD" 2>&1 <<-'EOF'
			import json, sys
			path, n, nbad = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
			try:
			    r = json.load(open(path))
			except ValueError as e:
			    sys.exit(f"{path}: not a JSON report: {e}")
			s = r["summary"]
			errors = sum(1 for p in r["problems"] if p["severity"] == "error")
			want = {"records": n, "errors": nbad, "valid_records": n - nbad, "not_shown": 0}
			bad = [f"{k} {s.get(k)}, want {v}" for k, v in want.items() if s.get(k) != v]
			if errors != nbad:
			    bad.append(f"{errors} errors listed, want {nbad}")
			if bad:
			    sys.exit(f"{path}: " + "; ".join(bad) + f" (the generator made {nbad} invalid records)")
			EOF
		) || fail "$job: $got"
		;;
	sqlite_import | export_load | export_reload | psql_copy)
		got=$(grep -c "^investment_totals: $(wc -l <"$DBSRC/investment_totals.csv" | awk '{print $1 - 1}') rows$" "$out" || true)
		[[ $got == 1 ]] || fail "$job printed \"$(cat "$out")\", want the CSV's rows in investment_totals (stdout: $out)"
		;;
	xlsxwriter)
		got=$(cat "$out")
		want="xlsxwriter: $N rows"
		[[ $got == "$want" ]] || fail "$job printed \"$got\", want \"$want\" (stdout: $out)"
		;;
	esac
}
fail() { die "CHECK FAILED: $*"; }

# arg FLAG CMD...: the value that follows FLAG in CMD.
arg() {
	local flag=$1
	shift
	while (($# > 1)); do
		if [[ $1 == "$flag" ]]; then
			printf '%s\n' "$2"
			return
		fi
		shift
	done
	die "arg: no $flag"
}

# kept JOB: whether JOB's stdout is kept (and checked) or thrown away
# (Miller's is the converted data).
kept() { [[ $1 != mlr ]]; }

# shuffle REP: set order to the jobs in repetition REP's order (0-based):
# job REP (modulo the number of jobs) first, so that no job always runs first,
# then the others in an order shuffled with a small generator seeded with REP,
# so that no job regularly runs right after the same one. The same jobs give
# the same orders on every run.
order=()
shuffle() {
	local rep=$1 n=${#jobs[@]} i j t x
	order=("${jobs[@]}")
	i=$((rep % n))
	t=${order[0]}
	order[0]=${order[i]}
	order[i]=$t
	x=$(((rep + 1) * 2654435761 % 2147483648))
	for ((i = n - 1; i > 1; i--)); do
		x=$(((x * 1103515245 + 12345) % 2147483648))
		j=$((1 + (x >> 8) % i))
		t=${order[i]}
		order[i]=${order[j]}
		order[j]=$t
	done
}

# Run every job R times, each repetition in its own order (shuffle above).
TIMES=$WORK/times
rm -rf "$TIMES"
mkdir -p "$TIMES"
LOG=$WORK/log
mkdir -p "$LOG"
((${#jobs[@]} > 0)) || die "no job left to run (SKIP=${SKIP:-})"
load0=$(cut -d' ' -f1 /proc/loadavg)
for ((r = 0; r < R; r++)); do
	shuffle "$r"
	say "rep $((r + 1))/$R order: ${order[*]}"
	for job in "${order[@]}"; do
		declare -n cmd="cmd_$job"
		expect_var="expect_$job"
		expect=${!expect_var:-0}
		stdout=/dev/null
		if kept "$job"; then
			stdout=$LOG/$job.out
		fi
		rm -f "$LOG/$job.out"
		touch "$LOG/$job.start"
		sync
		set +e
		"$TIME" -f '%e %M' -o "$TIMES/$job.last" -- "${cmd[@]}" >"$stdout" 2>"$LOG/$job.err"
		rc=$?
		set -e
		unset -n cmd
		if [[ $rc != "$expect" ]]; then
			tail -n 20 "$LOG/$job.err" >&2
			die "$job exited with $rc, want $expect (stderr: $LOG/$job.err)"
		fi
		check "$job"
		tail -n 1 "$TIMES/$job.last" >>"$TIMES/$job"
		say "rep $((r + 1))/$R $job: $(tail -n 1 "$TIMES/$job.last") (s, KiB)"
	done
done

load1=$(cut -d' ' -f1 /proc/loadavg)

# median JOB: median wall time (s). peak JOB: largest peak RSS (KiB).
median() {
	[[ -f $TIMES/$1 ]] || return 0
	awk '{print $1}' "$TIMES/$1" | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'
}
spread() {
	sort -g "$TIMES/$1" | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f–%.2f", lo, hi}'
}
peak() {
	[[ -f $TIMES/$1 ]] || return 0
	awk 'BEGIN {m=0} $2>m {m=$2} END {print m}' "$TIMES/$1"
}

# row JOB BASE TARGET: one table row. TARGET is empty or a comma-separated
# list of wall<=X (ratio of medians), rss<=X (ratio of peaks), mib<=X
# (absolute peak RSS). A ratio whose compared job did not run is "—", one
# whose compared median or peak is 0 (too fast to time) "n/a"; a target that
# needs such a ratio is "unknown" unless another of its parts is missed.
row() {
	local job=$1 base=$2 target=$3
	[[ -f $TIMES/$job ]] || return 0
	local lv="label_$job" lb="short_$base"
	local w m bw bm
	w=$(median "$job")
	local sp
	sp=$(spread "$job")
	m=$(peak "$job")
	bw=$(median "$base")
	bm=$(peak "$base")
	awk -v label="${!lv}" -v sp="$sp" -v base="${!lb:-}" -v w="$w" -v m="$m" -v bw="$bw" -v bm="$bm" -v target="$target" 'BEGIN {
		mib = m / 1024
		wr = ""; mr = ""
		if (base == "" || bw == "") { base = "—"; ws = "—"; ms = "—" }
		else {
			if (bw + 0 > 0) { wr = w / bw; ws = sprintf("%.2f×", wr) } else ws = "n/a"
			if (bm + 0 > 0) { mr = m / bm; ms = sprintf("%.2f×", mr) } else ms = "n/a"
		}
		tt = ""; met = "—"
		if (target != "") {
			missed = 0; unknown = 0
			n = split(target, parts, ",")
			for (i = 1; i <= n; i++) {
				split(parts[i], kv, "<=")
				if (kv[1] == "wall") { t = sprintf("wall ≤ %s×", kv[2]); v = wr }
				else if (kv[1] == "rss") { t = sprintf("RSS ≤ %s×", kv[2]); v = mr }
				else { t = sprintf("RSS ≤ %s MiB", kv[2]); v = mib }
				if (v "" == "") unknown = 1
				else if (v > kv[2] + 0) missed = 1
				tt = tt (tt == "" ? "" : ", ") t
			}
			met = missed ? "no" : unknown ? "unknown" : "yes"
		}
		printf "| %s | %.2f s | %s | %.0f MiB | %s | %s | %s | %s | %s |\n", label, w, sp, mib, base, ws, ms, (tt == "" ? "—" : tt), met
	}'
}

# speedups: for export validate and export run --formats csv,json, the
# speedup on 2 cores over 1, the serial fraction it implies (Amdahl's law:
# S = 1/(f + (1-f)/p), so f = 2/S - 1 at p = 2), and the speedups on 4, 8
# and 16 cores: measured where this machine has them, else predicted from f.
speedups() {
	local job one two p w sv
	for job in export_validate export_csvjson; do
		one=$(median "${job}_p1")
		two=$(median "$(on "$job" 2)")
		[[ -n $one && -n $two ]] || continue
		local measured=""
		for p in 4 8 16; do
			((p <= NPROC)) || continue
			w=$(median "$(on "$job" "$p")")
			[[ -n $w ]] && measured="$measured $p=$w"
		done
		sv="short_$job"
		awk -v name="${!sv}" -v one="$one" -v two="$two" -v measured="$measured" 'BEGIN {
			if (two + 0 <= 0) exit
			s = one / two
			f = 2 / s - 1
			if (f < 0) f = 0
			if (f > 1) f = 1
			printf "\n%s: speedup on 2 cores over 1 S = %.2f× (%.2f s, then %.2f s); serial fraction (Amdahl) f = 2/S − 1 = %.3f.", name, s, one, two, f
			n = split(measured, m, " ")
			for (i = 1; i <= n; i++) { split(m[i], kv, "="); got[kv[1]] = kv[2] }
			for (p = 4; p <= 16; p *= 2) {
				if (p in got) printf " Measured on %d cores: %.2f×.", p, one / got[p]
				else printf " Predicted (not measured) on %d cores: %.2f×.", p, 1 / (f + (1 - f) / p)
			}
			printf "\n"
		}'
	done
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(cd "$ROOT" && git status --porcelain 2>/dev/null | head -n 1) ]]; then
	commit="$commit with uncommitted changes"
fi
if [[ -n $EXPORT_GIVEN ]]; then
	# The checkout's commit says nothing about a binary built elsewhere: name
	# the binary, and its commit only if its build info records one.
	built=$(go version -m "$EXPORT" 2>/dev/null | awk '$1 == "build" && $2 ~ /^vcs\.revision=/ {sub(/^vcs\.revision=/, "", $2); print substr($2, 1, 7)}')
	if [[ -n $built ]] && go version -m "$EXPORT" 2>/dev/null | grep -q 'vcs\.modified=true'; then
		built="$built with uncommitted changes"
	fi
	version="export binary given by EXPORT=$EXPORT (sha256 $(sha256sum "$EXPORT" | cut -c1-12)), commit ${built:-unknown}; floor and gen from commit $commit"
else
	version="commit $commit"
fi
cols=$(head -n 1 "$CSV" | awk -F, '{print NF}')
size=$(du -m "$CSV" | cut -f1)
settings="N=$N R=$R KINDS=$KINDS INVALID=$INVALID QUOTES=$QUOTES"
[[ -z ${SKIP:-} ]] || settings="$settings SKIP=\"$SKIP\""
[[ -z $EXPORT_GIVEN ]] || settings="$settings EXPORT=$EXPORT_GIVEN"
[[ -z ${BASE:-} ]] || settings="$settings BASE=$BASE (sha256 $(sha256sum "$BASE" | cut -c1-12))"

{
	echo "### bench/run.sh: $N $KINDS records, median of $R"
	echo
	echo "- command: \`$settings bench/run.sh\`, $(date -u +%Y-%m-%d), $version"
	echo "- machine: $cpu, $(nproc) cores, $mem RAM, $(go version | awk '{print $3, $4}'), Linux $(uname -r)"
	echo "- input: records.csv, $size MB, $cols columns; $(grep -c '^  - id:' "$SOURCES") sources, quotes $QUOTES"
	echo
	echo "| job | median wall | range | peak RSS | compared with | wall ratio | RSS ratio | target | met |"
	echo "|---|---|---|---|---|---|---|---|---|"
	row floor_read "" ""
	row floor_validate floor_read ""
	row floor_csv floor_read ""
	row floor_jsonl floor_read ""
	row floor_xlsx floor_read ""
	row floor_all floor_read ""
	row export_validate floor_validate "wall<=1.5,mib<=150"
	row export_validate export_noevidence "wall<=1.15"
	row export_noevidence floor_validate ""
	row export_run floor_xlsx "wall<=1.0,mib<=150"
	if [[ -n ${BASE:-} ]]; then
		row export_run_base floor_xlsx ""
		row export_run export_run_base ""
	fi
	row export_run floor_all ""
	row export_csvjson mlr "wall<=0.25,rss<=0.1,mib<=150"
	row export_invalid export_validate "mib<=150"
	row export_sqlite sqlite_import "wall<=3,mib<=150"
	row sqlite_import "" ""
	row export_load psql_copy "wall<=1.5"
	row export_reload psql_copy ""
	row psql_copy "" ""
	row mlr floor_jsonl ""
	row xlsxwriter floor_xlsx ""
	if ((NPROC >= 2)); then
		row "$(on export_validate 2)" export_validate_p1 "wall<=0.556,mib<=150"
		row "$(on export_csvjson 2)" export_csvjson_p1 "wall<=0.589,mib<=150"
	fi
	for p in "${CORES[@]}" "$NPROC"; do
		((p > 2)) || continue
		row "$(on export_validate "$p")" export_validate_p1 "mib<=150"
		row "$(on export_csvjson "$p")" export_csvjson_p1 "mib<=150"
	done
	row export_validate_p1 "" "mib<=150"
	row export_csvjson_p1 "" "mib<=150"
	echo
	echo "Ratios are this job's median wall time (peak RSS) over the compared job's, from the"
	echo "same run; below 1 is faster (smaller). Range is the fastest and slowest of the $R runs,"
	echo "peak RSS the largest. Targets are issue 4's (set for 1,000,000 records and more;"
	echo "wall ≤ 0.25× means at least 4× faster), issue 12's (the checks against the quote,"
	echo "wall ≤ 1.15×) and issue 15's (on 2 cores at least 1.8× and 1.7× faster than on 1:"
	echo "wall ≤ 0.556× and 0.589×); \"met\" checks them on this run (n/a: the"
	echo "compared job's time or memory was 0, too small to divide by; a target that needs it is"
	echo "unknown). Every job's output but Miller's was checked: N records, all valid, or on the"
	echo "invalid data exactly the generator's errors."
	echo "Load average (1 min) was $load0 when the timing started and $load1 when it ended."
	speedups
	for n in "${notes[@]}"; do
		echo
		echo "$n"
	done
} | tee "$OUT"
say "table written to $OUT"
