#!/usr/bin/env bash
# The Query screen: the customer's list query through display-svc (area,
# keyword, user) with the stores' badges (AD, FAV, the rating) and the
# fan-out's timings per service; Enter opens the store page; with ads-svc
# gone the list still answers and says it is degraded.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"
. "$(dirname "$0")/../lib_display.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store
start_downstream
start_display

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
a=$(create '{"owner":"owner-1","name":"치킨 하나","category":"chicken","area":"gangnam","delivery_fee":2000,
	"menu":[{"name":"후라이드","price":18000},{"name":"양념","price":19000,"sold_out":true}]}')
b=$(create '{"owner":"owner-2","name":"치킨 두울","category":"chicken","area":"gangnam"}')
c=$(create '{"owner":"owner-2","name":"피자 셋","category":"pizza","area":"mapo"}')
for id in "$a" "$b" "$c"; do
	wait_until 30 doc_of "$id"
done
wait_until 30 converged "$a" "$b" "$c"

now=$(date -u +%s)
starts=$(date -u -d "@$((now - 3600))" +%Y-%m-%dT%H:%M:%SZ)
ends=$(date -u -d "@$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ)
api POST "$ADS_URL/campaigns" \
	"{\"store_id\":$b,\"area\":\"gangnam\",\"bid\":1500,\"starts_at\":\"$starts\",\"ends_at\":\"$ends\"}"
[ "$STATUS" = 201 ] || fail "campaign answered $STATUS: $BODY"
api PUT "$FAVORITES_URL/users/u1/favorites/$a"
[ "$STATUS" = 204 ] || fail "favorite answered $STATUS: $BODY"
for r in 5 4; do
	api POST "$REVIEWS_URL/stores/$a/reviews" "{\"user\":\"u$r\",\"rating\":$r,\"text\":\"맛있어요\"}"
	[ "$STATUS" = 201 ] || fail "review answered $STATUS: $BODY"
done
wait_until 30 bash -c "curl -sf '$DISPLAY_URL/shops/$a' | jq -e '.reviews.count == 2'"
wait_until 30 bash -c "curl -sf '$ADS_URL/ads?area=gangnam' | jq -e '.ids == [$b]'"

console_start --store-api "$STORE_URL" --search-api "$SEARCH_URL" \
	--ads-api "$ADS_URL" --favorites-api "$FAVORITES_URL" \
	--reviews-api "$REVIEWS_URL" --display-api "$DISPLAY_URL" \
	--brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 '^ Stores - 3 stores'
keys :
type_text query
keys Enter
wait_screen 5 "^ Query - GET /shops on $DISPLAY_URL"
# The cursor is in Area; the user is two fields down.
type_text gangnam
keys Down Down
type_text u1
keys Enter
wait_screen 10 '^ 2 stores in [0-9<.]+m?s: ads [0-9<.]+m?s ok, search [0-9<.]+m?s ok, favorites [0-9<.]+m?s ok$'
# Advertised first, then by search rank; a the user's favorite, rated.
wait_screen 5 "^ 1 +$b 치킨 두울 +chicken +open +AD +- +0$"
wait_screen 5 "^ 2 +$a 치킨 하나 +chicken +open +FAV +4.5 \(2\) +2,000$"
same_column '^ +# +ID NAME' BADGES "^ 2 +$a 치킨" FAV

# The store page of the second row: one key lookup.
keys j Enter
wait_screen 10 "^ Query - store page $a - Esc back to the list"
wait_screen 5 "^ 치킨 하나  \(store $a, v1\)  chicken  open"
wait_screen 5 '^ +rating 4.50 from 2 reviews'
wait_screen 5 '^ +2 +양념  19,000 won  SOLD OUT'
wait_screen 5 "^ GET /shops/$a answered 200 in [^ ]+ \(one key lookup in display-svc\)$"
keys Escape
wait_screen 5 "^ 2 +$a 치킨 하나 "

# ads-svc gone: the list still answers, and says what is missing.
stop_proc ads KILL
keys r
wait_screen 10 'DEGRADED \(missing: ads\)'
wait_no_screen 5 ' AD '
keys q
console_quit_check
log "ok"
