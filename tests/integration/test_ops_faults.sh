#!/usr/bin/env bash
# storectl fault on a detached stack: store API errors make search-svc's
# fetches fail and its breaker open while the operator's own reads go
# through, and the edit lands once they are cleared; latency slows the
# services' reads only; a fault with --for ends by itself; broker down
# keeps writes going into the outbox and the backlog drains when it is
# up; broker request errors are accepted and bad ones refused by name;
# only the operator may set faults; bad command lines exit 2.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
"$S" up --detach --state "$STATE" >"$T/up.log" 2>&1 || fail "up --detach: $(cat "$T/up.log")"
url_of() { jq -r --arg n "$1" '.services[$n]' "$STATE/stack.json"; }
token_of() { jq -r --arg r "$1" '.tokens[] | select(.role == $r) | .token' "$STATE/tokens.json"; }
STORE_URL=$(url_of store)
SEARCH_URL=$(url_of search)
API_TOKEN=$(token_of operator)
SERVICE_TOKEN=$(token_of service)
found() { curl -sf --get --data-urlencode "q=$1" "$SEARCH_URL/search" | jq -e --argjson id "$2" '.ids | index($id) != null'; }
health() { curl -sf "$SEARCH_URL/health" | jq -r "$1"; }
rename() {
	api GET "$STORE_URL/stores/$1"
	api PATCH "$STORE_URL/stores/$1" "{\"name\":\"$2\"}" -H "If-Match: \"$(jq -r .version <<<"$BODY")\""
	[ "$STATUS" = 200 ] || fail "renaming store $1: $STATUS $BODY"
}
wait_until 20 bash -c "curl -sf '$SEARCH_URL/health' | jq -e '.held == 240 and .consumer.lag == 0'"

# Nothing injected at first; status of both kinds.
"$S" fault --state "$STATE" >"$T/show.out" || fail "fault show"
grep -q '^store API faults: none$' "$T/show.out" || fail "show: $(cat "$T/show.out")"
grep -q '^broker: up$' "$T/show.out" || fail "show: $(cat "$T/show.out")"
jq -e '.broker_control | startswith("http://127.0.0.1:")' "$STATE/stack.json" >/dev/null || fail "no broker_control in stack.json"

# Every read of the services fails: search-svc fails to fetch, its breaker
# opens, the edit does not land; the operator's reads are not touched.
before=$(health .consumer.fetch_errors)
"$S" fault api --errors 100% --state "$STATE" >"$T/api.out" || fail "fault api --errors"
grep -q 'latency 0 ms, 100% errors, the services. reads, until cleared' "$T/api.out" || fail "fault api said: $(cat "$T/api.out")"
rename 3 "장애 중 수정"
wait_until 20 bash -c "[ \$(curl -sf '$SEARCH_URL/health' | jq .consumer.fetch_errors) -gt $before ]"
wait_until 20 bash -c "curl -sf '$SEARCH_URL/health' | jq -e '.consumer.breaker.state != \"closed\"'"
found "장애 중 수정" 3 >/dev/null && fail "search-svc applied an edit it could not fetch"
api GET "$STORE_URL/stores/3"
[ "$STATUS" = 200 ] || fail "the operator's read failed under a service-scoped fault: $STATUS"
"$S" fault --state "$STATE" | grep -Eq 'struck [0-9]+ delayed, [1-9][0-9]* failed' || fail "no failed reads counted"
# Clearing them: search-svc catches up.
"$S" fault api --clear --state "$STATE" | grep -q '^store API faults: none$' || fail "fault api --clear"
wait_until 30 found "장애 중 수정" 3
log "errors: search-svc failed, its breaker opened, it caught up after --clear"

# Latency: the services' reads wait, the edit still lands.
"$S" fault api --latency 400 --state "$STATE" >/dev/null || fail "fault api --latency"
start=$(date +%s%N)
api GET "$STORE_URL/stores/4"
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 300 ] || fail "the operator's read was slowed"
API_TOKEN=$SERVICE_TOKEN
start=$(date +%s%N)
api GET "$STORE_URL/stores?ids=4"
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$STATUS" = 200 ] && [ "$took" -ge 400 ] || fail "a service read took $took ms ($STATUS) with 400 ms injected"
api POST "$STORE_URL/ops/faults" '{"latency_ms":1}'
[ "$STATUS" = 403 ] || fail "the service token set faults: $STATUS"
API_TOKEN=$(token_of operator)
rename 4 "느린 가게"
wait_until 20 found "느린 가게" 4
# A fault with --for ends by itself.
"$S" fault api --latency 50 --errors 0.5 --for 1 --state "$STATE" | grep -q 'until 20' || fail "--for has no end"
sleep 1.5
"$S" fault --state "$STATE" | grep -q '^store API faults: none$' || fail "the fault did not end after --for 1"

# The broker down: writes go on into the outbox; the backlog drains when
# it is up, and search-svc gets the edit.
"$S" fault broker down --state "$STATE" | grep -q '^broker down' || fail "fault broker down"
"$S" fault --state "$STATE" | grep -q '^broker: down' || fail "show: broker not down"
rename 5 "브로커 장애 중"
wait_until 15 bash -c "curl -sf '$STORE_URL/health' | jq -e '.outbox_pending > 0'"
"$S" fault broker up --state "$STATE" | grep -q '^broker up' || fail "fault broker up"
wait_until 30 bash -c "curl -sf '$STORE_URL/health' | jq -e '.outbox_pending == 0'"
wait_until 30 found "브로커 장애 중" 5
log "broker: the outbox held the write while it was down and drained after"

# Request errors of one Kafka API; names it does not know are refused.
"$S" fault broker errors Produce NOT_LEADER_FOR_PARTITION 3 --state "$STATE" |
	grep -q 'the next 3 Produce request(s) fail with NOT_LEADER_FOR_PARTITION' || fail "fault broker errors"
rename 6 "재시도 후 도착"
wait_until 30 found "재시도 후 도착" 6
rc=0
"$S" fault broker errors Bogus NOT_LEADER_FOR_PARTITION --state "$STATE" >/dev/null 2>"$T/bogus.err" || rc=$?
[ "$rc" = 1 ] || fail "an unknown Kafka API exited $rc"
grep -q 'api must be one of: Produce, Fetch' "$T/bogus.err" || fail "unknown API: $(cat "$T/bogus.err")"

# Bad command lines: exit 2, nothing changed.
for args in "fault api" "fault api --errors 2" "fault api --errors 30%% --latency -5" \
	"fault api --latency 10 --for 0" "fault api --clear --latency 5" "fault broker sideways" \
	"fault nowhere" "status --latency 5" "fault broker errors Produce" "fault api --scope nobody --latency 1"; do
	rc=0
	# shellcheck disable=SC2086
	"$S" $(printf "$args") --state "$STATE" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "storectl $args exited $rc, not 2"
done
"$S" fault --state "$STATE" | grep -q '^store API faults: none$' || fail "a bad command changed the faults"
# Every process stops cleanly, with no sanitizer report in its log.
"$S" down --state "$STATE" >/dev/null || fail "down"
! grep -E 'Sanitizer|runtime error:' "$STATE"/logs/*.log >&2 || fail "a sanitizer report in the stack's logs"
log "ok"
