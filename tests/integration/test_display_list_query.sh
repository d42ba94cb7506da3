#!/usr/bin/env bash
# The store list on the real services: ads-svc, search-svc and
# favorites-svc answer ids, display-svc asks them at once and joins the ids
# with its documents: advertised stores first (by bid), then search rank,
# the user's favorites flagged; only a user gives the favorites as the
# list. With ads-svc stopped the list still answers, degraded: ["ads"].
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_display.sh"

for p in ads-svc favorites-svc search-svc; do
	[ -x "$BIN/$p" ] || fail "$p is not built"
done
start_broker
start_store
start_search
start_ads
start_favorites
start_display

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"김밥천국 강남점","category":"korean","status":"open","area":"gangnam"}'
A=$(jq -r .id <<<"$BODY")
api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"김밥나라","category":"korean","status":"open","area":"gangnam"}'
B=$(jq -r .id <<<"$BODY")
api POST "$STORE_URL/stores" '{"owner":"owner-2","name":"피자헛 역삼","category":"pizza","status":"open","area":"gangnam"}'
C=$(jq -r .id <<<"$BODY")
api POST "$STORE_URL/stores" '{"owner":"owner-2","name":"김밥마을","category":"korean","status":"open","area":"mapo"}'
D=$(jq -r .id <<<"$BODY")
for id in "$A" "$B" "$C" "$D"; do
	[[ $id =~ ^[0-9]+$ ]] || fail "a store was not created"
done

# Every service has every store before the campaigns and favorites.
for id in "$A" "$B" "$C" "$D"; do
	wait_until 30 doc_of "$id"
done
searchable() {
	curl -sf --get --data-urlencode q=김밥 --data-urlencode area=gangnam "$SEARCH_URL/search" |
		jq -e --argjson a "$A" --argjson b "$B" '.ids | index($a) != null and index($b) != null'
}
wait_until 30 searchable

now=$(date -u +%s)
starts=$(date -u -d "@$((now - 3600))" +%Y-%m-%dT%H:%M:%SZ)
ends=$(date -u -d "@$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ)
campaign() {
	local tries=0
	# ads-svc may not have consumed the store yet; it then asks store-svc.
	until api POST "$ADS_URL/campaigns" \
		"{\"store_id\":$1,\"area\":\"gangnam\",\"bid\":$2,\"starts_at\":\"$starts\",\"ends_at\":\"$ends\"}" &&
		[ "$STATUS" = 201 ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || fail "campaign for $1 answered $STATUS: $BODY"
		sleep 0.2
	done
}
campaign "$C" 2000
campaign "$B" 1000
favorite() {
	local tries=0
	until api PUT "$FAVORITES_URL/users/u1/favorites/$1" && [ "$STATUS" = 204 ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || fail "favorite $1 answered $STATUS: $BODY"
		sleep 0.2
	done
}
favorite "$A"
favorite "$D"
ads_ready() { curl -sf "$ADS_URL/ads?area=gangnam" | jq -e --argjson b "$B" --argjson c "$C" '.ids == [$c, $b]'; }
wait_until 30 ads_ready

list() { curl -sf --get "$@" "$DISPLAY_URL/shops" >"$T/list.json"; }

# Area, words and a user: C and B advertised by bid, then A by search, A
# the user's favorite; D is elsewhere and only a favorite, so not listed.
list --data-urlencode area=gangnam --data-urlencode q=김밥 --data-urlencode user=u1 ||
	fail "list query failed"
jq -e --argjson a "$A" --argjson b "$B" --argjson c "$C" '
	[.shops[] | [.id, .advertised, .favorite]] ==
	[[$c, true, false], [$b, true, false], [$a, false, true]]' "$T/list.json" >/dev/null ||
	fail "order or flags: $(jq -c '[.shops[] | [.id, .advertised, .favorite]]' "$T/list.json")"
jq -e '.degraded == [] and ([.timings[].status] | unique) == ["ok"]' "$T/list.json" >/dev/null ||
	fail "degraded or timings: $(jq -c '{degraded, timings}' "$T/list.json")"
# Joined with the documents: the whole document, reviews included.
jq -e --argjson a "$A" '.shops[2] | .id == $a and .name == "김밥천국 강남점" and .area == "gangnam"
	and .reviews.count == 0 and (.owner == null)' "$T/list.json" >/dev/null ||
	fail "document not joined: $(jq -c '.shops[2]' "$T/list.json")"
for id in "$A" "$B" "$C"; do
	[ "$(jq -c --argjson id "$id" '.shops[] | select(.id == $id) | del(.advertised, .favorite)' "$T/list.json")" = \
		"$(doc_of "$id" | jq -c .)" ] || fail "store $id in the list differs from its document"
done

# Only a user: the favorites are the list.
list --data-urlencode user=u1 || fail "favorites list failed"
jq -e --argjson a "$A" --argjson d "$D" '([.shops[].id] | sort) == ([$a, $d] | sort)
	and all(.shops[]; .favorite and (.advertised | not))
	and .timings.ads.status == "skipped" and .timings.search.status == "skipped"' \
	"$T/list.json" >/dev/null || fail "favorites only: $(jq -c . "$T/list.json")"

# limit counts documents, ads first.
list --data-urlencode area=gangnam --data-urlencode limit=1 || fail "limited list failed"
jq -e --argjson c "$C" '[.shops[].id] == [$c]' "$T/list.json" >/dev/null ||
	fail "limit 1: $(jq -c '[.shops[].id]' "$T/list.json")"

# A deleted store leaves the list even while a service still names it.
api DELETE "$STORE_URL/stores/$B" '' -H 'If-Match: "1"'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
b_gone() {
	list --data-urlencode area=gangnam --data-urlencode q=김밥 &&
		jq -e --argjson b "$B" '[.shops[].id] | index($b) == null' "$T/list.json"
}
wait_until 20 b_gone

# Bad parameters: named, nothing asked.
api GET "$DISPLAY_URL/shops?area=Gangnam"
[ "$STATUS" = 400 ] && [ "$(jq -r .field <<<"$BODY")" = area ] || fail "bad area: $STATUS $BODY"
api GET "$DISPLAY_URL/shops"
[ "$STATUS" = 400 ] && [ "$(jq -r .rule <<<"$BODY")" = required ] || fail "no parameter: $STATUS $BODY"

# ads-svc stopped: the rest still answers, and says what is missing.
stop_proc ads
list --data-urlencode area=gangnam --data-urlencode q=김밥 --data-urlencode user=u1 ||
	fail "list query failed without ads-svc"
jq -e --argjson a "$A" '.degraded == ["ads"] and .timings.ads.status == "unreachable"
	and .timings.search.status == "ok" and .timings.favorites.status == "ok"
	and [.shops[] | [.id, .advertised, .favorite]] == [[$a, false, true]]' "$T/list.json" >/dev/null ||
	fail "without ads-svc: $(jq -c '{shops: [.shops[] | [.id, .advertised, .favorite]], degraded, timings}' "$T/list.json")"
grep -q '^display_fanout_calls_total{service="ads",outcome="unreachable"} 1$' \
	<<<"$(curl -sf "$DISPLAY_URL/metrics")" || fail "metrics do not count the unreachable ads-svc"
log "ok"
