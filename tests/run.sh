#!/usr/bin/env bash
# Runs every test and ends with one line: "N passed, N failed".
#
#   BUILD=build/rel BIN=bin tests/run.sh [PATTERN]
#
# Unit tests are the cmocka binaries in $BUILD/tests (each case counts);
# integration and console tests are the scripts tests/*/test_*.sh (each
# script counts once). PATTERN, when given, keeps the tests whose name
# contains it. Output of a failing test is shown; passing ones stay quiet.
set -uo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/rel}
export BIN=${BIN:-bin}
pattern=${1:-}
passed=0
failed=0
failures=()
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

run_script() {
	local script=$1 name start secs
	name=${script#tests/}
	name=${name%.sh}
	start=$SECONDS
	# TERM lets the test's trap stop what it started and print its logs;
	# KILL follows if it does not finish.
	if timeout -k 60 180 bash "$script" >"$out" 2>&1; then
		passed=$((passed + 1))
		printf '%-44s ok (%ds)\n' "$name" $((SECONDS - start))
	else
		failed=$((failed + 1))
		failures+=("$name")
		printf '%-44s FAILED (%ds)\n' "$name" $((SECONDS - start))
		[ $((SECONDS - start)) -lt 180 ] || echo "    (timed out)"
		sed 's/^/    /' "$out"
	fi
}

for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	case "$bin" in *"$pattern"*) run_unit "$bin" ;; esac
done
for script in tests/integration/test_*.sh tests/tmux/test_*.sh; do
	[ -f "$script" ] || continue
	case "$script" in *"$pattern"*) run_script "$script" ;; esac
done

if [ "${#failures[@]}" -gt 0 ]; then
	echo
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
