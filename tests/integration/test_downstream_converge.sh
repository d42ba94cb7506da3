#!/usr/bin/env bash
# Every downstream service (search, ads, favorites, reviews) converges with
# the store API: stores created, updated (name, area, menu, status) and
# deleted reach each service's own copy at the API's version, deleted
# stores become tombstones, and each copy holds only the columns its
# service needs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

start_broker
start_store
start_downstream

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
a=$(create '{"owner":"owner-1","name":"김밥천국 역삼점","category":"korean","area":"gangnam","status":"open",
 "menu":[{"name":"참치김밥","price":4500},{"name":"라볶이","price":6000}]}')
b=$(create '{"owner":"owner-2","name":"교촌치킨","category":"chicken","area":"mapo","status":"open"}')
c=$(create '{"owner":"owner-1","name":"동네 피자","category":"pizza","area":"gangnam","status":"open",
 "menu":[{"name":"페퍼로니 피자","price":18000}]}')
wait_converged 30 "$a" "$b" "$c"

# Each copy keeps its own columns.
curl -sf "$SEARCH_URL/replica/stores" | jq -e --argjson a "$a" \
	'.stores[] | select(.id == $a) | .area == "gangnam" and .menu == ["참치김밥","라볶이"] and (has("status") | not)' >/dev/null ||
	fail "search's copy: $(curl -s "$SEARCH_URL/replica/stores")"
curl -sf "$ADS_URL/replica/stores" | jq -e --argjson b "$b" \
	'.stores[] | select(.id == $b) | .area == "mapo" and .category == "chicken" and .status == "open" and (has("name") | not)' >/dev/null ||
	fail "ads' copy: $(curl -s "$ADS_URL/replica/stores")"
curl -sf "$FAVORITES_URL/replica/stores" | jq -e --argjson c "$c" \
	'.stores[] | select(.id == $c) | .name == "동네 피자" and .status == "open" and (has("area") | not)' >/dev/null ||
	fail "favorites' copy: $(curl -s "$FAVORITES_URL/replica/stores")"
curl -sf "$REVIEWS_URL/replica/stores" | jq -e --argjson a "$a" \
	'.stores[] | select(.id == $a) | .name == "김밥천국 역삼점" and (has("status") | not)' >/dev/null ||
	fail "reviews' copy: $(curl -s "$REVIEWS_URL/replica/stores")"

# Updates, one per kind of column; every service converges on each version.
patch() {
	local id=$1 body=$2 v
	v=$(store_version "$id")
	api PATCH "$STORE_URL/stores/$id" "$body" -H "If-Match: \"$v\""
	[ "$STATUS" = 200 ] || fail "patch of $id answered $STATUS: $BODY"
}
patch "$a" '{"name":"행복한 김밥"}'
patch "$b" '{"area":"gangnam"}'
patch "$c" '{"menu":[{"name":"고르곤졸라","price":19000}]}'
patch "$c" '{"status":"closed"}'
wait_converged 20 "$a" "$b" "$c"

found() { curl -sf --get --data-urlencode "q=$1" ${2:+--data-urlencode "area=$2"} "$SEARCH_URL/search" | jq -c .ids; }
[ "$(found 고르곤졸라)" = "[$c]" ] || fail "new menu not found: $(found 고르곤졸라)"
[ "$(found 페퍼로니)" = "[]" ] || fail "old menu still found"
[ "$(found 행복한 gangnam)" = "[$a]" ] || fail "rename not found in gangnam"
[ "$(curl -sf "$SEARCH_URL/search?area=gangnam" | jq -c '.ids | sort')" = "$(jq -nc --argjson a "$a" --argjson b "$b" --argjson c "$c" '[$a,$b,$c] | sort')" ] ||
	fail "area filter: $(curl -s "$SEARCH_URL/search?area=gangnam")"

# Deleted: a tombstone at the delete's version in every copy.
v=$(store_version "$b")
api DELETE "$STORE_URL/stores/$b" '' -H "If-Match: \"$v\""
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
wait_converged 20 "$a" "$b" "$c"
case $(store_version "$b") in -*) ;; *) fail "store $b not deleted in the API" ;; esac
[ "$(curl -sf "$SEARCH_URL/search?area=gangnam" | jq -c '.ids | index('"$b"')')" = null ] ||
	fail "a deleted store is still found"

# The services said so on store.reactions, one record per service.
reactions() {
	kcat -b "$BROKERS" -C -t store.reactions -o beginning -e -q 2>/dev/null |
		jq -r --argjson b "$b" 'select(.store_id == $b and .action == "deleted") | .service' |
		sort -u | tr '\n' ' '
}
reacted() { [ "$(reactions)" = "ads favorites reviews search " ]; }
wait_until 10 reacted

# /health and /metrics of each: ok, closed breaker, no lag once idle.
for name in search ads favorites reviews; do
	h=$(health_of "$name")
	jq -e '.status == "ok" and .consumer.breaker.state == "closed" and .consumer.failed == 0' <<<"$h" >/dev/null ||
		fail "$name health: $h"
	url=$(_ds_url "$name")
	[ "$(metric storectl_consumer_breaker_state "$url" 'state="closed"')" = 1 ] || fail "$name metrics: breaker"
	applied=$(metric storectl_consumer_reactions_total "$url" 'action="applied"')
	[ "${applied:-0}" -ge 3 ] || fail "$name applied only ${applied:-0}"
done
idle() {
	local name
	for name in search ads favorites reviews; do
		health_of "$name" | jq -e '.consumer.lag == 0' >/dev/null || return 1
	done
}
wait_until 10 idle
stop_downstream
log ok
