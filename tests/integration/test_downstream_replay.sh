#!/usr/bin/env bash
# The same events again, out of order and twice: every downstream service
# re-reads the source, skips what is not newer than its copy, and ends
# where the store API is; a deleted store stays deleted even when its
# "created" event comes round again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

SERVICES=(search ads favorites reviews)
start_broker
start_store
start_downstream

ids=()
for name in 김밥천국 교촌치킨 을밀대; do
	api POST "$STORE_URL/stores" "{\"owner\":\"owner-1\",\"name\":\"$name\",\"category\":\"korean\",\"area\":\"gangnam\",\"status\":\"open\",\"menu\":[{\"name\":\"$name 세트\",\"price\":9000}]}"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	ids+=("$(jq -r .id <<<"$BODY")")
done
edit() {
	api PATCH "$STORE_URL/stores/$1" "$2" -H 'If-Match: *'
	[ "$STATUS" = 200 ] || fail "patch $1 answered $STATUS: $BODY"
}
edit "${ids[0]}" '{"name":"행복한 김밥"}'
edit "${ids[0]}" '{"area":"mapo","menu":[{"name":"참치김밥","price":4500}]}'
edit "${ids[1]}" '{"status":"closed"}'
edit "${ids[2]}" '{"name":"을밀대 본점"}'
api DELETE "$STORE_URL/stores/${ids[2]}" '' -H 'If-Match: *'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
wait_converged 30 "${ids[@]}"

idle() { health_of "$1" | jq -e '.consumer.lag == 0 and .consumer.failed == 0'; }
for name in "${SERVICES[@]}"; do wait_until 15 idle "$name"; done
stale_before=$(health_of search | jq .consumer.skipped_stale)

# Every event so far, replayed newest first, then oldest first: the same
# event ids twice, each store's versions out of order.
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%k\t%s\n' 2>/dev/null >"$T/events"
n=$(wc -l <"$T/events")
[ "$n" -ge 8 ] || fail "only $n events on store.events"
{ tac "$T/events"; cat "$T/events"; } | kcat -b "$BROKERS" -P -t store.events -K "$(printf '\t')"
handled() { # every service has committed past the replay
	local name
	for name in "${SERVICES[@]}"; do
		health_of "$name" | jq -e --argjson n "$((3 * n))" \
			'.consumer.lag == 0 and ([.consumer.partitions[].committed // 0] | add) >= $n' >/dev/null || return 1
	done
}
wait_until 20 handled
wait_converged 5 "${ids[@]}"

# Nothing went backwards: the replay was skipped as stale (or fetched and
# found not newer), and the deleted store is still gone everywhere.
[ "$(health_of search | jq .consumer.skipped_stale)" -gt "$stale_before" ] || fail "search skipped nothing as stale"
for name in "${SERVICES[@]}"; do
	health_of "$name" | jq -e '.consumer.failed == 0 and .status == "ok"' >/dev/null ||
		fail "$name after the replay: $(health_of "$name" | jq -c .consumer)"
	replica_row "$name" "${ids[2]}" | jq -e '.deleted' >/dev/null || fail "$name brought store ${ids[2]} back"
done
found() { curl -sf --get --data-urlencode "q=$1" "$SEARCH_URL/search" | jq -c .ids; }
[ "$(found 참치김밥)" = "[${ids[0]}]" ] || fail "search after the replay: $(found 참치김밥)"
[ "$(found '김밥천국 세트')" = '[]' ] || fail "an old menu came back"
[ "$(found 을밀대)" = '[]' ] || fail "the deleted store came back in search"
stop_downstream
log ok
