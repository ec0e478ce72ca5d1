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
#   R        repetitions of every job (default 3); jobs are interleaved, so
#            that noise on a shared machine hits every job alike
#   KINDS    investment (default: 19-column investment totals) or mixed
#   INVALID  fraction of invalid records for the error-report job
#            (default 0.01; 0 leaves the job out)
#   SEED     generator seed (default 20080930)
#   QUOTES   verified (default: sources have texts, every quote is checked,
#            as in real runs) or unverified
#   WORK     scratch directory (default ${TMPDIR:-/tmp}/export-bench): data,
#            binaries, outputs; datasets are kept and reused
#   OUT      where the table is written too (default $WORK/results-N$N.md)
#   EXPORT   an export binary to measure instead of building ./cmd/export
#            (to compare two versions, run twice with the same WORK)
#   SKIP     jobs to leave out, space-separated, such as "xlsxwriter mlr"
#            (job names as in the progress lines on stderr)
#   PYTHON   python3 with XlsxWriter (default: the first of /usr/bin/python3
#            and python3 that has it)
#
# Peers that are not installed (Miller: Debian package miller; Python
# XlsxWriter: python3-xlsxwriter) are left out with a line saying so. GNU
# time (/usr/bin/time, Debian package time) is required; as root the script
# installs it with apt-get when it is missing. Any job that exits with an
# unexpected code fails the script.
set -euo pipefail

N=${N:-100000}
R=${R:-3}
KINDS=${KINDS:-investment}
INVALID=${INVALID:-0.01}
SEED=${SEED:-20080930}
QUOTES=${QUOTES:-verified}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/export-bench}
OUT=${OUT:-$WORK/results-N$N.md}
TIME=/usr/bin/time

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || die "N=$N: want a positive number"
[[ $R =~ ^[0-9]+$ && $R -gt 0 ]] || die "R=$R: want a positive number"

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

# gen DIR ARGS...: generate a dataset into DIR unless the same generator made
# it with the same arguments before.
gen() {
	local dir=$1
	shift
	local stamp
	stamp="$(sha256sum "$BIN/gen" | cut -c1-16) $*"
	if [[ -f $dir/.stamp && $(cat "$dir/.stamp") == "$stamp" ]]; then
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	say "generating $dir"
	"$BIN/gen" -q -o "$dir/records.csv" "$@"
	echo "$stamp" >"$dir/.stamp"
}
DATA=$WORK/data/$KINDS-$QUOTES-n$N-s$SEED
gen "$DATA" -n "$N" -kinds "$KINDS" -seed "$SEED" -quotes "$QUOTES"
CSV=$DATA/records.csv
SOURCES=$DATA/sources.yaml
if [[ $INVALID != 0 ]]; then
	BAD=$WORK/data/$KINDS-$QUOTES-n$N-s$SEED-invalid$INVALID
	gen "$BAD" -n "$N" -kinds "$KINDS" -seed "$SEED" -quotes "$QUOTES" -invalid "$INVALID"
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
for j in floor_read floor_validate floor_csv floor_jsonl floor_xlsx floor_all export_validate export_run export_csvjson; do
	add "$j"
done
if [[ $INVALID != 0 ]]; then
	cmd_export_invalid=("$EXPORT" validate --quiet --report json "$BAD/records.csv" "$BAD/sources.yaml")
	expect_export_invalid=1
	label_export_invalid="export validate --report json, $INVALID invalid"
	short_export_invalid="export validate (invalid)"
	add export_invalid
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

# Run every job R times, interleaved: repetition r starts at job r-1, so
# that no job always runs first (or right after the same one).
TIMES=$WORK/times
rm -rf "$TIMES"
mkdir -p "$TIMES"
LOG=$WORK/log
mkdir -p "$LOG"
load0=$(cut -d' ' -f1 /proc/loadavg)
for ((r = 0; r < R; r++)); do
	for ((k = 0; k < ${#jobs[@]}; k++)); do
		job=${jobs[$(((k + r) % ${#jobs[@]}))]}
		declare -n cmd="cmd_$job"
		expect_var="expect_$job"
		expect=${!expect_var:-0}
		sync
		set +e
		"$TIME" -f '%e %M' -o "$TIMES/$job.last" -- "${cmd[@]}" >/dev/null 2>"$LOG/$job.err"
		rc=$?
		set -e
		unset -n cmd
		if [[ $rc != "$expect" ]]; then
			tail -n 20 "$LOG/$job.err" >&2
			die "$job exited with $rc, want $expect (stderr: $LOG/$job.err)"
		fi
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
# (absolute peak RSS).
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
		hb = (base != "" && bw != "")
		if (hb) {
			wr = (bw > 0) ? w / bw : 0; mr = (bm > 0) ? m / bm : 0
			ws = sprintf("%.2f×", wr); ms = sprintf("%.2f×", mr)
		} else { base = "—"; ws = "—"; ms = "—" }
		tt = ""; met = "—"
		if (target != "") {
			met = "yes"
			n = split(target, parts, ",")
			for (i = 1; i <= n; i++) {
				split(parts[i], kv, "<=")
				if (kv[1] == "wall") { t = sprintf("wall ≤ %s×", kv[2]); v = wr }
				else if (kv[1] == "rss") { t = sprintf("RSS ≤ %s×", kv[2]); v = mr }
				else { t = sprintf("RSS ≤ %s MiB", kv[2]); v = mib }
				if (kv[1] != "mib" && !hb) { if (met == "yes") met = "—" }
				else if (v > kv[2] + 0) met = "no"
				tt = tt (tt == "" ? "" : ", ") t
			}
		}
		printf "| %s | %.2f s | %s | %.0f MiB | %s | %s | %s | %s | %s |\n", label, w, sp, mib, base, ws, ms, (tt == "" ? "—" : tt), met
	}'
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(cd "$ROOT" && git status --porcelain 2>/dev/null | head -n 1) ]]; then
	commit="$commit with uncommitted changes"
fi
cols=$(head -n 1 "$CSV" | awk -F, '{print NF}')
size=$(du -m "$CSV" | cut -f1)
settings="N=$N R=$R KINDS=$KINDS INVALID=$INVALID QUOTES=$QUOTES"

{
	echo "### bench/run.sh: $N $KINDS records, median of $R"
	echo
	echo "- command: \`$settings bench/run.sh\`, $(date -u +%Y-%m-%d), commit $commit"
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
	row export_run floor_xlsx "wall<=1.0,mib<=150"
	row export_run floor_all ""
	row export_csvjson mlr "wall<=0.25,rss<=0.1"
	row export_invalid export_validate "mib<=150"
	row mlr floor_jsonl ""
	row xlsxwriter floor_xlsx ""
	echo
	echo "Ratios are this job's median wall time (peak RSS) over the compared job's, from the"
	echo "same run; below 1 is faster (smaller). Range is the fastest and slowest of the $R runs,"
	echo "peak RSS the largest. Targets are issue 4's (set for 1,000,000 records and more;"
	echo "wall ≤ 0.25× means at least 4× faster); \"met\" checks them on this run. Load average"
	echo "(1 min) was $load0 when the timing started and $load1 when it ended."
	for n in "${notes[@]}"; do
		echo
		echo "$n"
	done
} | tee "$OUT"
say "table written to $OUT"
