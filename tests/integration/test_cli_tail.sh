#!/usr/bin/env bash
# storectl tail: the console's Stream as lines. It reads store.events and
# store.reactions, prints each event and each reaction joined to it, stops
# after --count events (waiting for new ones), and refuses a bad command
# line with a reason and status 2.
. "$(dirname "$0")/../lib.sh"

start_broker
start_store
start_search
API_TOKEN=$OWNER1_TOKEN
TAIL=("$BIN/storectl" tail --brokers "$BROKERS" -X fetch.wait.max.ms=5)

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"tail one","category":"korean"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
api PATCH "$STORE_URL/stores/$id" '{"name":"tail two"}' -H 'If-Match: "1"'
[ "$STATUS" = 200 ] || fail "rename answered $STATUS: $BODY"

# Bad command lines change nothing and say what is wrong.
set +e
"$BIN/storectl" tail --count x >"$T/bad.out" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--count x: exit $rc"
grep -q -- '--count: must be an integer' "$T/bad.out" || fail "--count x said: $(cat "$T/bad.out")"
set +e
"$BIN/storectl" tail --state "$T/nothing" >"$T/bad.out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "no stack: exit $rc"
grep -q 'give --brokers' "$T/bad.out" || fail "no stack said: $(cat "$T/bad.out")"

# Following: both events, and search-svc's reactions joined to them (from
# the recent history the tail starts with, as the console's pane).
reacted() {
	kcat -b "$BROKERS" -C -t store.reactions -o beginning -e -q 2>/dev/null |
		jq_any --argjson id "$id" 'select(.service == "search" and .store_id == $id and .event_version == 2)'
}
wait_until 30 reacted
"${TAIL[@]}" >"$T/follow.out" 2>"$T/follow.err" &
PID_OF[tail]=$!
joined() { grep -qE "store $id v2  search: (applied|x2 applied|skip: stale)" "$T/follow.out"; }
for _ in $(seq 200); do joined && break; sleep 0.1; done
joined || fail "no joined reaction: $(cat "$T/follow.out" "$T/follow.err")"
# Each event's line comes before the reactions joined to it.
head -n 1 "$T/follow.out" | grep -qE "store $id v1  created" || fail "no create line first: $(cat "$T/follow.out")"
grep -qE "store $id v2  updated name  \[p[0-9]+@[0-9]+\]" "$T/follow.out" ||
	fail "no update line: $(cat "$T/follow.out")"
kill -TERM "${PID_OF[tail]}"
wait "${PID_OF[tail]}" || fail "tail exited $? on SIGTERM"
unset "PID_OF[tail]"

# --count: two events are there; the third is waited for.
"${TAIL[@]}" --from-beginning --count 3 --quiet >"$T/count.out" 2>&1 &
PID_OF[tail]=$!
sleep 1
alive "${PID_OF[tail]}" || fail "tail --count 3 ended with two events: $(cat "$T/count.out")"
api PATCH "$STORE_URL/stores/$id" '{"name":"tail three"}' -H 'If-Match: "2"'
[ "$STATUS" = 200 ] || fail "rename answered $STATUS: $BODY"
ended() { ! alive "${PID_OF[tail]}"; }
wait_until 20 ended
wait "${PID_OF[tail]}" || fail "tail --count 3 exited $?: $(cat "$T/count.out")"
unset "PID_OF[tail]"
grep -qE '^3 events, [0-9]+ reactions \([0-9]+ joined\), 0 records not decoded$' "$T/count.out" ||
	fail "--quiet printed: $(cat "$T/count.out")"
