#!/usr/bin/env bash
# Runs every test and ends with one line: "N passed, N failed".
#
#   BUILD=build/rel BIN=bin tests/run.sh [PATTERN]
#   SUITES="rel:build/rel:bin san:build/san:build/san/bin" tests/run.sh
#
# Unit tests are the cmocka binaries in BUILD/tests (each case counts);
# integration and console tests are the scripts tests/*/test_*.sh (each
# script counts once), run against the binaries in BIN. SUITES runs all of
# them once per build, NAME:BUILD:BIN each, every result labelled with its
# NAME (make test runs the release and the sanitizer build this way).
# PATTERN, when given, keeps the tests whose name contains it. Output of a
# failing test is shown; passing ones stay quiet. Scripts run JOBS at a
# time (2); a failing script runs once more and is listed as flaky when
# that passes (RETRY=0 turns the second run off).
set -uo pipefail

cd "$(dirname "$0")/.."
SUITES=${SUITES:-":${BUILD:-build/rel}:${BIN:-bin}"}
pattern=${1:-}
passed=0
failed=0
failures=()
flaky=()
out=$(mktemp)
results=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$results"' EXIT

# suffix NAME: " [NAME]" for a labelled suite, nothing otherwise.
suffix() { [ -z "$1" ] || printf ' [%s]' "$1"; }

run_unit() {
	local bin=$1 suite=$2 label
	label="unit/$(basename "$bin")$(suffix "$suite")"
	if "$bin" >"$out" 2>&1; then
		status=pass
	else
		status=fail
	fi
	local ok bad
	ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
	bad=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
	ok=${ok:-0}
	bad=${bad:-0}
	# A crash before cmocka's summary still counts as a failure.
	if [ "$status" = fail ] && [ "$bad" -eq 0 ]; then
		bad=1
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	printf '%-50s %3d passed, %d failed\n' "$label" "$ok" "$bad"
	if [ "$bad" -gt 0 ]; then
		failures+=("$label")
		cat "$out"
	fi
}

# A job is one script against one suite's binaries: "SCRIPT|SUITE|BIN".
# key JOB: the file name its results go under in $results.
key() {
	local script=${1%%|*} rest=${1#*|} name
	name=${script#tests/}
	name=${name//\//_}
	printf '%s@%s' "${name%.sh}" "${rest%%|*}"
}

# run_script JOB: runs one script, leaving KEY.out (its output), KEY.secs
# and KEY.rc in $results.
run_script() {
	local job=$1 script=${1%%|*} bin=${1##*|} k start rc=0
	k=$(key "$job")
	start=$SECONDS
	# TERM lets the test's trap stop what it started and print its logs;
	# KILL follows if it does not finish.
	BIN=$bin timeout -k 60 180 bash "$script" >"$results/$k.out" 2>&1 || rc=$?
	# A script that fails is run once more and reported as flaky when the
	# second run passes: the machines are shared, and one timing failure
	# should not hide the rest. Its first output is kept for the report.
	if [ "$rc" != 0 ] && [ "${RETRY:-1}" = 1 ]; then
		mv "$results/$k.out" "$results/$k.first"
		rc=0
		BIN=$bin timeout -k 60 180 bash "$script" >"$results/$k.out" 2>&1 || rc=$?
	fi
	echo $((SECONDS - start)) >"$results/$k.secs"
	echo "$rc" >"$results/$k.rc"
}

# report JOB: counts and prints one finished script.
report() {
	local job=$1 script=${1%%|*} rest=${1#*|} label k secs rc
	label=${script#tests/}
	label="${label%.sh}$(suffix "${rest%%|*}")"
	k=$(key "$job")
	secs=$(cat "$results/$k.secs")
	rc=$(cat "$results/$k.rc")
	if [ "$rc" = 0 ] && [ -f "$results/$k.first" ]; then
		passed=$((passed + 1))
		flaky+=("$label")
		printf '%-50s ok on a second run (%ds); the first said:\n' "$label" "$secs"
		grep -E 'FAIL|timed out' "$results/$k.first" | head -n 5 | sed 's/^/    /'
	elif [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		printf '%-50s ok (%ds)\n' "$label" "$secs"
	else
		failed=$((failed + 1))
		failures+=("$label")
		printf '%-50s FAILED (%ds)\n' "$label" "$secs"
		[ "$rc" != 124 ] && [ "$rc" != 137 ] || echo "    (timed out)"
		sed 's/^/    /' "$results/$k.out"
	fi
}

jobs=()
keys=() # key of each job, made once: report_finished looks at all of them
for suite in $SUITES; do
	IFS=: read -r name build bin <<<"$suite"
	[ -d "$bin" ] || { echo "tests/run.sh: no binaries in $bin" >&2; exit 2; }
	for unit in "$build"/tests/test_*; do
		[ -x "$unit" ] || continue
		case "$unit" in *"$pattern"*) run_unit "$unit" "$name" ;; esac
	done
	bin=$(cd "$bin" && pwd)
	for script in tests/integration/test_*.sh tests/tmux/test_*.sh; do
		[ -f "$script" ] || continue
		case "$script" in *"$pattern"*)
			jobs+=("$script|$name|$bin")
			keys+=("$(key "$script|$name|")") ;;
		esac
	done
done

# Scripts run JOBS at a time (default 2): most of their time is spent
# waiting on consumer groups and timeouts, and each has its own ports,
# directory and tmux socket. Results print as each finishes.
declare -A reported=()
report_finished() {
	local i k
	for i in "${!jobs[@]}"; do
		k=${keys[$i]}
		if [ -f "$results/$k.rc" ] && [ -z "${reported[$k]:-}" ]; then
			reported[$k]=1
			report "${jobs[$i]}"
		fi
	done
}
running=0
for job in "${jobs[@]}"; do
	if [ "$running" -ge "${JOBS:-2}" ]; then
		wait -n || true
		running=$((running - 1))
		report_finished
	fi
	run_script "$job" &
	running=$((running + 1))
done
wait
report_finished

if [ "${#flaky[@]}" -gt 0 ]; then
	echo
	echo "flaky (passed on a second run): ${flaky[*]}"
fi
if [ "${#failures[@]}" -gt 0 ]; then
	echo
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
