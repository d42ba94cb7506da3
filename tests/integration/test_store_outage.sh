#!/usr/bin/env bash
# The broker goes away for a while (storectl-broker's control interface,
# which keeps its in-memory log): writes keep succeeding, the outbox
# backlog grows and shows in /health and /metrics, deliveries that time out
# are queued again, and when the broker is back the backlog drains and
# every write has its event. Then produce requests fail for a while
# (injected errors) and still every event arrives.
. "$(dirname "$0")/../lib.sh"

start_broker
# Deliveries give up after 1.5 s, so the outage also exercises the relay's
# own retry of failed deliveries (the default waits 5 minutes).
start_store -X message.timeout.ms=1500
API_TOKEN=$OPERATOR_TOKEN
health() { curl -sf "$STORE_URL/health"; }
metric() { curl -sf -H "Authorization: Bearer $OPERATOR_TOKEN" "$STORE_URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
outbox_drained() { health | jq -e '.outbox_pending == 0 and .broker == "ok"'; }
events_for() { # the store ids and versions on store.events, once each
	kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%s\n' |
		jq -r '"\(.store_id) \(.version)"' | sort -u
}
all_versions() {
	sqlite3 "$T/store.db" 'select id, version from stores' |
		awk -F'|' '{ for (v = 1; v <= $2; v++) print $1, v }' | sort -u
}

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"before","category":"cafe"}'
[ "$STATUS" = 201 ] || fail "create: $STATUS $BODY"
ID=$(jq -r .id <<<"$BODY")
wait_until 10 outbox_drained

# --- the broker is down: writes succeed and wait in the outbox ----------
curl -sf -X POST "$BROKER_CONTROL/brokers/down" >/dev/null || fail "broker down"
wait_until 10 bash -c "curl -sf '$STORE_URL/health' | jq -e '.broker == \"down\"'"
writes=0
start=$SECONDS
for i in $(seq 20); do
	api POST "$STORE_URL/stores" "{\"owner\":\"owner-2\",\"name\":\"during $i\",\"category\":\"snack\"}"
	[ "$STATUS" = 201 ] || fail "create while the broker is down: $STATUS $BODY"
	api PATCH "$STORE_URL/stores/$ID" "{\"description\":\"edit $i\"}" -H 'If-Match: *'
	[ "$STATUS" = 200 ] || fail "edit while the broker is down: $STATUS $BODY"
	writes=$((writes + 2))
done
[ $((SECONDS - start)) -lt 5 ] || fail "writes were slow while the broker was down ($((SECONDS - start)) s)"
pending=$(health | jq .outbox_pending)
[ "$pending" -ge "$writes" ] || fail "backlog $pending, want at least $writes"
# Still down after the deliveries timed out: the backlog stays, and ages.
sleep 3
health >"$T/health"
jq -e --argjson w "$writes" '.status == "ok" and .ready and .broker == "down" and
	.outbox_pending >= $w and .outbox_oldest_age_s >= 2.5' "$T/health" >/dev/null ||
	fail "health during the outage: $(cat "$T/health")"
[ "$(metric store_outbox_pending_rows)" -ge "$writes" ] || fail "metrics: pending rows"
[ "$(metric store_broker_up)" = 0 ] || fail "metrics: broker_up"
[ "$(metric store_events_failed_total)" -gt 0 ] || fail "no delivery timed out during the outage"
api GET "$STORE_URL/stores/$ID"
[ "$STATUS $(jq -r .description <<<"$BODY")" = "200 edit 20" ] || fail "reads during the outage: $STATUS"

# --- back: the backlog drains -----------------------------------------
curl -sf -X POST "$BROKER_CONTROL/brokers/up" >/dev/null || fail "broker up"
back=$SECONDS
wait_until 30 outbox_drained
log "backlog of $pending drained $((SECONDS - back)) s after the broker came back"
[ "$(metric store_outbox_oldest_age_seconds)" = 0.000 ] || fail "metrics: oldest age after draining"
all_versions >"$T/committed"
events_for >"$T/events"
comm -23 "$T/committed" "$T/events" >"$T/missing"
[ ! -s "$T/missing" ] || fail "versions without an event after the outage: $(head -c 300 "$T/missing")"

# --- produce requests fail for a while --------------------------------
curl -sf -X POST -H 'Content-Type: application/json' \
	-d '{"api":"Produce","code":"NOT_LEADER_FOR_PARTITION","count":5}' "$BROKER_CONTROL/errors" >/dev/null ||
	fail "inject produce errors"
curl -sf -X POST -H 'Content-Type: application/json' \
	-d '{"api":"Produce","code":"TRANSPORT","count":2}' "$BROKER_CONTROL/errors" >/dev/null ||
	fail "inject disconnects"
for i in $(seq 10); do
	api PATCH "$STORE_URL/stores/$ID" "{\"description\":\"after $i\"}" -H 'If-Match: *'
	[ "$STATUS" = 200 ] || fail "edit with failing produce requests: $STATUS $BODY"
done
wait_until 30 outbox_drained
all_versions >"$T/committed"
events_for >"$T/events"
comm -23 "$T/committed" "$T/events" >"$T/missing"
[ ! -s "$T/missing" ] || fail "versions without an event after produce errors: $(head -c 300 "$T/missing")"

# The control interface refuses what it does not know.
code=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	-d '{"api":"Produce","code":"NO_SUCH_ERROR"}' "$BROKER_CONTROL/errors")
[ "$code $(jq -r .field "$T/resp")" = "422 code" ] || fail "unknown error code: $code $(cat "$T/resp")"
log "ok ($(wc -l <"$T/committed") versions, each with its event)"
