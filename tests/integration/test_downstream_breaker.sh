#!/usr/bin/env bash
# store-svc stops in the middle of a stream of changes: every downstream
# service's breaker opens (on /health and /metrics), calls to the store API
# drop to a trial now and then while events keep coming, nothing is
# committed (lag grows), and once store-svc is back every service closes
# its breaker, catches up and converges with the store API.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

SERVICES=(search ads favorites reviews)
start_broker
start_store
start_downstream

ids=()
for i in 1 2 3; do
	api POST "$STORE_URL/stores" "{\"owner\":\"owner-1\",\"name\":\"가게 $i\",\"category\":\"korean\",\"area\":\"gangnam\",\"status\":\"open\"}"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	ids+=("$(jq -r .id <<<"$BODY")")
done
wait_converged 30 "${ids[@]}"

# Calls each service made to the store API (answered or failed).
calls() {
	local url ok err
	url=$(_ds_url "$1")
	ok=$(metric storectl_consumer_fetches_total "$url" 'result="ok"')
	err=$(metric storectl_consumer_fetches_total "$url" 'result="error"')
	echo $((ok + err))
}
# A stream of zero-payload events, as store-svc would publish for edits:
# every 100 ms one per store, newer versions each round, until
# $T/stream.stop exists (then kcat sees the end of its input and exits).
stream() {
	local round=100
	while [ ! -e "$T/stream.stop" ]; do
		for id in "${ids[@]}"; do
			printf '%s\t{"event_id":"e%s-%s","store_id":%s,"type":"updated","version":%s,"fields":["name","area","status"],"at":"%s"}\n' \
				"$id" "$id" "$round" "$id" "$round" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"
		done
		round=$((round + 1))
		sleep 0.1
	done | kcat -b "$BROKERS" -P -t store.events -K "$(printf '\t')" 2>/dev/null
}

port=${STORE_URL##*:}
stop_proc store
stream &
STREAM_PID=$!
at_exit 'touch "$T/stream.stop"; wait $STREAM_PID 2>/dev/null'

opened() { health_of "$1" | jq -e '.consumer.breaker.opened >= 1 and .status == "degraded"'; }
for name in "${SERVICES[@]}"; do
	wait_until 15 opened "$name"
done
h=$(health_of ads)
jq -e '.consumer.breaker.state != "closed" and (.consumer.last_error | test("store API"))' <<<"$h" >/dev/null ||
	fail "ads health during the outage: $h"
[ "$(metric storectl_consumer_breaker_state "$ADS_URL" 'state="closed"')" = 0 ] || fail "metrics: breaker closed"

# The call rate while the breakers are open: a trial now and then, though
# 30 events a second keep arriving.
declare -A before
for name in "${SERVICES[@]}"; do before[$name]=$(calls "$name"); done
sleep 6
for name in "${SERVICES[@]}"; do
	made=$(($(calls "$name") - ${before[$name]}))
	log "$name: $made store API calls in 6 s with its breaker open"
	[ "$made" -le 4 ] || fail "$name called the store API $made times in 6 s while its breaker was open"
done
# Nothing committed: the events wait.
for name in "${SERVICES[@]}"; do
	health_of "$name" | jq -e '.consumer.lag > 0' >/dev/null || fail "$name shows no lag: $(health_of "$name" | jq -c .consumer)"
done

# store-svc is back: the breakers close, the backlog is handled, and real
# edits made now converge everywhere.
touch "$T/stream.stop"
wait "$STREAM_PID" || true
start_store --listen "127.0.0.1:$port"
api PATCH "$STORE_URL/stores/${ids[0]}" '{"name":"돌아온 가게","area":"mapo"}' -H 'If-Match: *'
[ "$STATUS" = 200 ] || fail "patch after the restart: $STATUS $BODY"
api DELETE "$STORE_URL/stores/${ids[1]}" '' -H 'If-Match: *'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete after the restart: $STATUS $BODY"
caught_up() { health_of "$1" | jq -e '.status == "ok" and .consumer.breaker.state == "closed" and .consumer.lag == 0'; }
for name in "${SERVICES[@]}"; do
	wait_until 30 caught_up "$name"
done
wait_converged 10 "${ids[@]}"
grep -q 'circuit breaker closed' "$T/search.log" || fail "search-svc did not log the breaker closing"

# The backlog cost the restarted store-svc a few batched calls per
# service (GET /stores?ids=), not one per event (its own /metrics).
backlog=$(kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f 'x\n' 2>/dev/null | wc -l)
printf 'Authorization: Bearer %s\n' "$OPERATOR_TOKEN" >"$T/op.auth"
batched=$(curl -sf -H "@$T/op.auth" "$STORE_URL/metrics" |
	awk '$1 ~ /^http_requests_total\{/ && $1 ~ /method="GET"/ && $1 ~ /route="\/stores"/ { n += $2 } END { print n + 0 }')
log "$backlog events on store.events; $batched GET /stores calls to the restarted store-svc"
[ "$backlog" -ge 100 ] || fail "the stream made only $backlog events"
# One call per event would be 4 x backlog; batches collapse them.
[ "$batched" -le $((backlog / 2)) ] || fail "the catch-up made $batched calls to store-svc for $backlog events"
stop_downstream
log ok
