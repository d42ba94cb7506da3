#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus.
#
#   FUZZ_BUILD=build/fuzz tests/fuzz/run.sh SECONDS [TARGET...]
#
# Targets are built by `make fuzz-build` (build/fuzz/fuzz_NAME). New inputs
# go to $FUZZ_BUILD/corpus/NAME (kept between runs, never into the seeds in
# tests/fuzz/corpus/NAME); a crash leaves its input in
# $FUZZ_BUILD/artifacts/NAME/ and fails the run, with the sanitizer's
# report printed. Ends with one line per target and a summary.
set -uo pipefail

cd "$(dirname "$0")/../.."
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
secs=${1:-60}
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

failed=()
for t in "${targets[@]}"; do
	bin=$FUZZ_BUILD/fuzz_$t
	seeds=tests/fuzz/corpus/$t
	work=$FUZZ_BUILD/corpus/$t
	art=$FUZZ_BUILD/artifacts/$t
	log=$FUZZ_BUILD/fuzz_$t.log
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: $bin is not built (make fuzz-build)" >&2
		failed+=("$t")
		continue
	fi
	mkdir -p "$work" "$art"
	dict=()
	[ ! -f "tests/fuzz/$t.dict" ] || dict=("-dict=tests/fuzz/$t.dict")
	# -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a
	# leak or runaway allocation is a finding, not an OOM of the machine.
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$art/" "$work" "$seeds" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		printf 'fuzz %-16s ok: %s runs in %ss, %s\n' "$t" "${execs:-?}" "$secs" "${cov:-cov: ?}"
	else
		failed+=("$t")
		printf 'fuzz %-16s FAILED (inputs in %s)\n' "$t" "$art"
		grep -E -A40 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|==[0-9]+== ?ERROR' "$log" |
			head -n 80 | sed 's/^/    /'
	fi
done
if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzz: failed: ${failed[*]}"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets ok"
