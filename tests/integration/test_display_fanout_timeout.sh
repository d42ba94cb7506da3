#!/usr/bin/env bash
# A dependency that accepts connections and never answers does not hold the
# list query past its budget: with --fanout-timeout-ms 300 the answer comes
# well within a second, names the hung services in "degraded" with status
# "timeout", and still carries what search found. The hung ones are asked
# at once, not one after the other (two hung calls cost one timeout), and
# /metrics counts the outcomes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_display.sh"

start_broker
start_store
start_search
hung_server
ADS_URL=$HUNG_URL
FAVORITES_URL=$HUNG_URL
start_display --fanout-timeout-ms 300

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"떡볶이 천국","category":"snack","status":"open","area":"mapo"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
wait_until 20 doc_of "$id"
searchable() { curl -sf "$SEARCH_URL/search?q=%EB%96%A1%EB%B3%B6%EC%9D%B4" | jq -e --argjson id "$id" '.ids | index($id) != null'; }
wait_until 20 searchable

# area (ads + search), q (search) and user (favorites): two hung calls.
for round in 1 2 3; do
	out=$(curl -sS -o "$T/list.json" -w '%{http_code} %{time_total}' \
		"$DISPLAY_URL/shops?area=mapo&q=%EB%96%A1%EB%B3%B6%EC%9D%B4&user=u1")
	read -r status secs <<<"$out"
	[ "$status" = 200 ] || fail "list answered $status: $(cat "$T/list.json")"
	awk -v s="$secs" 'BEGIN { exit !(s >= 0.29 && s < 0.9) }' ||
		fail "round $round took ${secs}s with a 300 ms budget"
	jq -e '.degraded == ["ads","favorites"]' "$T/list.json" >/dev/null ||
		fail "degraded: $(jq -c .degraded "$T/list.json")"
	jq -e '.timings.ads.status == "timeout" and .timings.favorites.status == "timeout"
		and .timings.search.status == "ok" and .timings.ads.ms >= 290' "$T/list.json" >/dev/null ||
		fail "timings: $(jq -c .timings "$T/list.json")"
	jq -e --argjson id "$id" '[.shops[].id] == [$id] and .shops[0].advertised == false
		and .shops[0].name == "떡볶이 천국"' "$T/list.json" >/dev/null ||
		fail "search's store not joined: $(jq -c .shops "$T/list.json")"
done

# A query that needs only the hung ones still answers in time, empty.
out=$(curl -sS -o "$T/list.json" -w '%{http_code} %{time_total}' "$DISPLAY_URL/shops?user=u1")
read -r status secs <<<"$out"
[ "$status" = 200 ] || fail "favorites-only list answered $status"
awk -v s="$secs" 'BEGIN { exit !(s < 0.9) }' || fail "favorites-only list took ${secs}s"
jq -e '.shops == [] and .degraded == ["favorites"] and .timings.search.status == "skipped"' \
	"$T/list.json" >/dev/null || fail "favorites-only: $(cat "$T/list.json")"

metrics=$(curl -sf "$DISPLAY_URL/metrics")
grep -q '^display_fanout_calls_total{service="ads",outcome="timeout"} 3$' <<<"$metrics" ||
	fail "metrics: $(grep fanout_calls <<<"$metrics")"
grep -q '^display_fanout_calls_total{service="favorites",outcome="timeout"} 4$' <<<"$metrics" ||
	fail "metrics: $(grep fanout_calls <<<"$metrics")"
grep -q '^display_list_queries_total{degraded="true"} 4$' <<<"$metrics" ||
	fail "metrics: $(grep list_queries <<<"$metrics")"
log "ok"
