#!/usr/bin/env bash
# The libFuzzer targets (tests/fuzz/) build with clang and each runs a few
# seconds on its seed corpus with ASan, UBSan and LeakSanitizer, finding
# nothing. `make fuzz` runs them longer (FUZZ_SECONDS, default 60).
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${FUZZ_SHORT_SECONDS:-5}
command -v clang >/dev/null ||
	{ echo "test_fuzz_short: FAIL: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

# build/fuzz unless told otherwise (make keeps it up to date).
export FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
# MAKEFLAGS of an outer `make test` (its -j, SANITIZE) do not matter here.
make --no-print-directory -s fuzz-build FUZZ_BUILD="$FUZZ_BUILD" >/dev/null ||
	{ echo "test_fuzz_short: FAIL: make fuzz-build failed" >&2; exit 1; }
./tests/fuzz/run.sh "$secs"
