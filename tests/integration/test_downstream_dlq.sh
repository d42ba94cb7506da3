#!/usr/bin/env bash
# Poison messages on store.events: every downstream service copies each one
# to store.events.dlq unchanged, with its reason naming what is wrong and
# its own name, commits past it and keeps handling the good events around
# it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

SERVICES=(search ads favorites reviews)
start_broker
start_store
start_downstream

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"독약 맛집","category":"korean","area":"gangnam","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
A=$(jq -r .id <<<"$BODY")
wait_converged 30 "$A"

at=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
# Four poison messages and, in the same burst, a good event (a real edit
# made while the messages are on their way).
{
	printf '%s\t%s\n' "$A" 'this is not JSON'
	printf '%s\t%s\n' abc "{\"event_id\":\"p2\",\"store_id\":$A,\"type\":\"updated\",\"version\":2,\"at\":\"$at\"}"
	printf '%s\t%s\n' "$A" "{\"event_id\":\"p3\",\"store_id\":$A,\"type\":\"updated\",\"version\":-1,\"at\":\"$at\"}"
	printf '%s\t%s\n' 99 "{\"event_id\":\"p4\",\"store_id\":$A,\"type\":\"updated\",\"version\":2,\"at\":\"$at\"}"
} | kcat -b "$BROKERS" -P -t store.events -K "$(printf '\t')" -p 0
api PATCH "$STORE_URL/stores/$A" '{"name":"해독된 맛집"}' -H 'If-Match: *'
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"

four() { [ "$(kcat -b "$BROKERS" -C -t store.events.dlq -o beginning -e -q -f '%h\n' 2>/dev/null | grep -c "dlq.service=$1")" -ge 4 ]; }
for name in "${SERVICES[@]}"; do
	wait_until 15 four "$name"
done
kcat -b "$BROKERS" -C -t store.events.dlq -o beginning -e -q -f '%h\n' >"$T/dlq.headers" 2>/dev/null
for reason in 'dlq.reason=value: not JSON' 'dlq.reason=key: must be a positive decimal store id' \
	'dlq.reason=value: version: must be a positive integer' 'dlq.reason=key: store id 99 differs'; do
	for name in "${SERVICES[@]}"; do
		grep "dlq.service=$name" "$T/dlq.headers" | grep -c "$reason" >/dev/null ||
			fail "$name: no dead letter with $reason: $(cat "$T/dlq.headers")"
	done
done
# Unchanged: the same key and value as the poison message.
# (Read whole: grep -q leaving the pipe early would fail kcat under pipefail.)
kcat -b "$BROKERS" -C -t store.events.dlq -o beginning -e -q -f '%k %s\n' 2>/dev/null >"$T/dlq.values"
grep -qx "$A this is not JSON" "$T/dlq.values" || fail "the dead letter is not the original message"

# The consumers went on: the good edit converged, the counters say so,
# and nothing is left behind.
wait_converged 15 "$A"
for name in "${SERVICES[@]}"; do
	idle() { health_of "$1" | jq -e '.consumer.dead_letters >= 4 and .consumer.lag == 0 and .status == "ok"'; }
	wait_until 10 idle "$name"
	[ "$(metric storectl_consumer_dead_letters_total "$(_ds_url "$name")")" -ge 4 ] ||
		fail "$name: dead letters not counted in /metrics"
done
stop_downstream
log ok
