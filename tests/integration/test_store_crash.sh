#!/usr/bin/env bash
# kill -9 store-svc while clients stream writes, twice: once with the broker
# up, once while it is down (so the outbox holds a backlog when the process
# dies). After each restart every committed version of every store has its
# event on store.events, read back with kcat, and so has every write a
# client saw acknowledged. Then confirmed rows are pruned.
. "$(dirname "$0")/../lib.sh"

WRITERS=3
STORES=6

start_broker
start_store
API_TOKEN=$OPERATOR_TOKEN
for i in $(seq "$STORES"); do
	api POST "$STORE_URL/stores" "{\"owner\":\"owner-1\",\"name\":\"crash $i\",\"category\":\"cafe\"}"
	[ "$STATUS" = 201 ] || fail "create: $STATUS $BODY"
done
printf 'Authorization: Bearer %s\n' "$OPERATOR_TOKEN" >"$T/auth"

# writer N: edits and creates until $T/stop exists, appending "id version"
# of every acknowledged write to $T/acked.N.
writer() {
	local n=$1 i=0 id code
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		if [ $((i % 7)) = 0 ]; then
			code=$(curl -s -o "$T/w$n" -w '%{http_code}' -X POST -H "@$T/auth" \
				-H 'Content-Type: application/json' \
				-d "{\"owner\":\"owner-2\",\"name\":\"w$n-$i\",\"category\":\"snack\"}" \
				"$STORE_URL/stores" || true)
		else
			id=$(((i + n) % STORES + 1))
			code=$(curl -s -o "$T/w$n" -w '%{http_code}' -X PATCH -H "@$T/auth" \
				-H 'If-Match: *' -H 'Content-Type: application/json' \
				-d "{\"description\":\"writer $n edit $i\"}" "$STORE_URL/stores/$id" || true)
		fi
		case $code in
		200 | 201)
			printf '%s %s\n' "$(grep -o '"id":[0-9]*' "$T/w$n" | head -n 1 | cut -d: -f2)" \
				"$(grep -o '"version":[0-9]*' "$T/w$n" | tail -n 1 | cut -d: -f2)" >>"$T/acked.$n"
			;;
		esac
	done
}

outbox_drained() { curl -sf "$STORE_URL/health" | jq -e '.outbox_pending == 0 and .broker == "ok"'; }

# crash_round NAME BROKER_DOWN: stream writes, kill -9 store-svc in the
# middle, restart it, and check every committed version has its event.
crash_round() {
	local name=$1 down=$2 pids=() n
	rm -f "$T/stop"
	for n in $(seq "$WRITERS"); do
		writer "$n" &
		pids+=($!)
	done
	sleep 0.7
	if [ "$down" = 1 ]; then
		curl -sf -X POST "$BROKER_CONTROL/brokers/down" >/dev/null || fail "broker down"
		sleep 0.7
		local pending
		pending=$(curl -sf "$STORE_URL/health" | jq .outbox_pending)
		[ "$pending" -gt 0 ] || fail "$name: no backlog while the broker is down"
	fi
	stop_proc store KILL
	touch "$T/stop"
	wait "${pids[@]}" 2>/dev/null || true
	[ "$down" = 0 ] || curl -sf -X POST "$BROKER_CONTROL/brokers/up" >/dev/null || fail "broker up"
	local backlog
	backlog=$(sqlite3 "$T/store.db" 'select count(*) from outbox where sent_at is null')
	log "$name: killed with $backlog events unconfirmed, $(cat "$T"/acked.* | wc -l) writes acknowledged"
	start_store
	wait_until 30 outbox_drained

	kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%s\n' |
		jq -r '"\(.store_id) \(.version)"' | sort -u >"$T/events"
	# Every version of every store, as the database holds them.
	sqlite3 "$T/store.db" 'select id, version from stores' |
		awk -F'|' '{ for (v = 1; v <= $2; v++) print $1, v }' | sort -u >"$T/committed"
	comm -23 "$T/committed" "$T/events" >"$T/missing"
	[ ! -s "$T/missing" ] || fail "$name: committed versions without an event: $(head -c 300 "$T/missing")"
	sort -u "$T"/acked.* >"$T/acked"
	comm -23 "$T/acked" "$T/events" >"$T/missing"
	[ ! -s "$T/missing" ] || fail "$name: acknowledged writes without an event: $(head -c 300 "$T/missing")"
	comm -13 "$T/committed" "$T/events" >"$T/phantom"
	[ ! -s "$T/phantom" ] || fail "$name: events of versions never committed: $(head -c 300 "$T/phantom")"
	log "$name: $(wc -l <"$T/committed") committed versions, each with its event"
}

crash_round "broker up" 0
crash_round "broker down" 1

# Rows Kafka confirmed are pruned once older than the retention (here 0 s;
# pruning runs at start and every minute); unsent rows never are.
sent=$(sqlite3 "$T/store.db" 'select count(*) from outbox where sent_at is not null')
[ "$sent" -gt 0 ] || fail "no sent outbox rows to prune"
stop_proc store
start_store --outbox-retention 0
outbox_empty() { [ "$(sqlite3 "$T/store.db" 'select count(*) from outbox')" = 0 ]; }
wait_until 10 outbox_empty
grep -q "pruned $sent sent outbox rows" "$T/store.log" || fail "pruning not logged: $(tail -n 3 "$T/store.log")"
log ok
