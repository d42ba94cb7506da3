#!/usr/bin/env bash
# make load: store-svc under concurrent readers and writers.
#
#   LOAD_SECS=30      how long the load runs
#   LOAD_WRITERS=8    writer threads (GET, then PATCH with If-Match; they
#                     race on LOAD_STORES stores, so 412s are expected)
#   LOAD_READERS=4    wrk connections reading (by id, by ids=, list)
#   LOAD_STORES=200   stores created first
#   LOAD_RSS_SLACK_KIB=8192   RSS growth allowed after the first third
#   BIN=DIR           where the binaries are (default bin)
#
# Starts the broker and store-svc (with tokens) in a temporary directory on
# ephemeral ports, through the test helpers (tests/lib.sh). Fails when any
# answer is neither 2xx nor an expected 412, a connection fails, or the
# RSS of store-svc keeps growing after the first third of the run (a leak
# or an unbounded cache). Prints requests, p50/p99 and the RSS samples.
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source "$ROOT/tests/lib.sh"
TEST_NAME=load
SECS=${LOAD_SECS:-30}
WRITERS=${LOAD_WRITERS:-8}
READERS=${LOAD_READERS:-4}
NSTORES=${LOAD_STORES:-200}
SLACK=${LOAD_RSS_SLACK_KIB:-8192}
command -v wrk >/dev/null || fail "wrk is not installed (scripts/install-deps.sh installs it)"

start_broker
start_store
export LOAD_TOKEN=$OPERATOR_TOKEN

areas=(gangnam mapo jongno songpa)
for i in $(seq "$NSTORES"); do
	api POST "$STORE_URL/stores" "{\"owner\":\"owner-$((i % 2 + 1))\",\"name\":\"부하 가게 $i\",
		\"category\":\"korean\",\"area\":\"${areas[i % 4]}\",\"status\":\"open\",
		\"menu\":[{\"name\":\"김밥\",\"price\":4500}]}"
	[ "$STATUS" = 201 ] || fail "seeding store $i answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
done >"$T/ids"
log "$NSTORES stores; ${SECS}s of $WRITERS writers and $READERS readers"

wrk -t "$((READERS < 2 ? READERS : 2))" -c "$READERS" -d "${SECS}s" --timeout 10s \
	-s "$ROOT/scripts/store_load_readers.lua" "$STORE_URL" -- "$T/ids" \
	>"$T/wrk.out" 2>&1 &
wrk_pid=$!
python3 "$ROOT/scripts/store_load.py" "$STORE_URL" "$T/ids" "$SECS" "$WRITERS" \
	"${PID_OF[store]}" "$T/writers.json" || fail "the writers stopped early"
wait "$wrk_pid" || fail "wrk failed: $(cat "$T/wrk.out")"
readers=$(grep '^{' "$T/wrk.out") || fail "no summary from wrk: $(cat "$T/wrk.out")"

# Counts, latency and RSS: one block.
w=$T/writers.json
rss=$(jq -c .rss_kib "$w")
n=$(jq '.rss_kib | length' "$w")
third=$((n / 3))
base=$(jq --argjson k "$third" '.rss_kib[$k]' "$w")
peak=$(jq --argjson k "$third" '.rss_kib[$k:] | max' "$w")
printf 'load: %ss, %d stores\n' "$SECS" "$NSTORES"
printf '  readers  %s requests, p50 %s ms, p99 %s ms, errors %s\n' \
	"$(jq .requests <<<"$readers")" "$(jq .p50_ms <<<"$readers")" \
	"$(jq .p99_ms <<<"$readers")" "$(jq -c .errors <<<"$readers")"
printf '  writers  %s PATCHes (%s applied, %s 412), p50 %s ms, p99 %s ms, errors %s\n' \
	"$(jq .patches "$w")" "$(jq '.status["PATCH 200"] // 0' "$w")" \
	"$(jq '.status["PATCH 412"] // 0' "$w")" "$(jq .patch_p50_ms "$w")" \
	"$(jq .patch_p99_ms "$w")" "$(jq .error_count "$w")"
printf '  rss      %s KiB after a third, %s KiB peak after; samples %s\n' "$base" "$peak" "$rss"

[ "$(jq .error_count "$w")" = 0 ] || fail "writer errors: $(jq -c .errors "$w")"
[ "$(jq '[.errors[]] | add' <<<"$readers")" = 0 ] || fail "reader errors: $readers"
[ "$(jq .requests <<<"$readers")" -gt 0 ] || fail "wrk made no requests"
[ "$(jq '.status["PATCH 200"] // 0' "$w")" -gt 0 ] || fail "no write was applied"
# AddressSanitizer holds freed memory in quarantine (256 MiB), so its RSS
# climbs by design: the sanitizer build checks leaks itself (LeakSanitizer).
if ldd "$BIN/store-svc" | grep -q libasan; then
	log "sanitizer build: RSS not judged (ASan's quarantine), leaks are LeakSanitizer's"
else
	[ "$peak" -le $((base + SLACK)) ] || fail "store-svc RSS grew from $base to $peak KiB"
fi
grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$T/store.log" &&
	fail "sanitizer report in store.log"
log "ok"
