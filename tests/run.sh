#!/usr/bin/env bash
# Runs every test and ends with one line: "N passed, N failed".
#
#   BUILD=build/rel BIN=bin tests/run.sh [PATTERN]
#
# Unit tests are the cmocka binaries in $BUILD/tests (each case counts);
# integration and console tests are the scripts tests/*/test_*.sh (each
# script counts once). PATTERN, when given, keeps the tests whose name
# contains it. Output of a failing test is shown; passing ones stay quiet.
# Scripts run JOBS at a time (2); a failing script runs once more and is
# listed as flaky when that passes (RETRY=0 turns the second run off).
set -uo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/rel}
export BIN=${BIN:-bin}
pattern=${1:-}
passed=0
failed=0
failures=()
flaky=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run_unit() {
	local bin=$1 name
	name=$(basename "$bin")
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
	printf '%-44s %3d passed, %d failed\n' "unit/$name" "$ok" "$bad"
	if [ "$bad" -gt 0 ]; then
		failures+=("unit/$name")
		cat "$out"
	fi
}

# run_script SCRIPT RESULTS: runs one test script, leaving NAME.out (its
# output), NAME.secs and NAME.rc in RESULTS.
run_script() {
	local script=$1 results=$2 name start rc=0
	name=${script#tests/}
	name=${name//\//_}
	name=${name%.sh}
	start=$SECONDS
	# TERM lets the test's trap stop what it started and print its logs;
	# KILL follows if it does not finish.
	timeout -k 60 180 bash "$script" >"$results/$name.out" 2>&1 || rc=$?
	# A script that fails is run once more and reported as flaky when the
	# second run passes: the machines are shared, and one timing failure
	# should not hide the rest. Its first output is kept for the report.
	if [ "$rc" != 0 ] && [ "${RETRY:-1}" = 1 ]; then
		mv "$results/$name.out" "$results/$name.first"
		rc=0
		timeout -k 60 180 bash "$script" >"$results/$name.out" 2>&1 || rc=$?
	fi
	echo $((SECONDS - start)) >"$results/$name.secs"
	echo "$rc" >"$results/$name.rc"
}

# report SCRIPT RESULTS: counts and prints one finished script.
report() {
	local script=$1 results=$2 name label secs rc
	label=${script#tests/}
	label=${label%.sh}
	name=${script#tests/}
	name=${name//\//_}
	name=${name%.sh}
	secs=$(cat "$results/$name.secs")
	rc=$(cat "$results/$name.rc")
	if [ "$rc" = 0 ] && [ -f "$results/$name.first" ]; then
		passed=$((passed + 1))
		flaky+=("$label")
		printf '%-44s ok on a second run (%ds); the first said:\n' "$label" "$secs"
		grep -E 'FAIL|timed out' "$results/$name.first" | head -n 5 | sed 's/^/    /'
	elif [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		printf '%-44s ok (%ds)\n' "$label" "$secs"
	else
		failed=$((failed + 1))
		failures+=("$label")
		printf '%-44s FAILED (%ds)\n' "$label" "$secs"
		[ "$rc" != 124 ] && [ "$rc" != 137 ] || echo "    (timed out)"
		sed 's/^/    /' "$results/$name.out"
	fi
}

for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	case "$bin" in *"$pattern"*) run_unit "$bin" ;; esac
done
# Scripts run JOBS at a time (default 2): most of their time is spent
# waiting on consumer groups and timeouts, and each has its own ports,
# directory and tmux socket. Results print as each finishes.
results=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$results"' EXIT
scripts=()
for script in tests/integration/test_*.sh tests/tmux/test_*.sh; do
	[ -f "$script" ] || continue
	case "$script" in *"$pattern"*) scripts+=("$script") ;; esac
done
declare -A reported=()
report_finished() {
	local script name
	for script in "${scripts[@]}"; do
		name=${script#tests/}
		name=${name//\//_}
		name=${name%.sh}
		if [ -f "$results/$name.rc" ] && [ -z "${reported[$name]:-}" ]; then
			reported[$name]=1
			report "$script" "$results"
		fi
	done
}
running=0
for script in "${scripts[@]}"; do
	if [ "$running" -ge "${JOBS:-2}" ]; then
		wait -n || true
		running=$((running - 1))
		report_finished
	fi
	run_script "$script" "$results" &
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
