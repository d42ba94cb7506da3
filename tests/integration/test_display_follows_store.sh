#!/usr/bin/env bash
# display-svc's documents converge with the store API: a full store (menu,
# hours, address) after create and after updates, deleted stores gone (410)
# and unknown ones 404, a summary slot in every document, the owner never
# shown, the reaction published, and the documents kept across a restart.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_display.sh"

start_broker
start_store
start_display

FULL='{"owner":"owner-1","name":"김밥천국 역삼점","category":"korean","phone":"02-555-0101",
 "address":{"road":"서울 강남구 테헤란로 123","detail":"1층","postal_code":"06236"},
 "area":"gangnam",
 "hours":{"mon":[{"open":"09:00","close":"15:00"},{"open":"17:00","close":"02:00"}],
  "tue":[{"open":"09:00","close":"21:00"}],"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]},
 "status":"open","min_order":12000,"delivery_fee":3000,"description":"참치김밥이 맛있는 집",
 "menu":[{"name":"참치김밥","price":4500},{"name":"라면","price":4000,"sold_out":true}]}'
api POST "$STORE_URL/stores" "$FULL"
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
version=$(jq -r .version <<<"$BODY")
api POST "$STORE_URL/stores" '{"owner":"owner-2","name":"피자나라","category":"pizza","status":"open"}'
[ "$STATUS" = 201 ] || fail "second create answered $STATUS: $BODY"
id2=$(jq -r .id <<<"$BODY")

wait_until 20 store_matches_doc "$id"
wait_until 10 store_matches_doc "$id2"
doc=$(doc_of "$id")
[ "$(jq -c .reviews <<<"$doc")" = '{"count":0,"average":null,"version":0}' ] ||
	fail "no empty review summary: $doc"
[ "$(jq -r '.owner // "none"' <<<"$doc")" = none ] || fail "the document shows the owner: $doc"
[ "$(jq -r '.menu[1].name' <<<"$doc")" = 라면 ] || fail "menu not in the document: $doc"
[ "$(jq -r .id <<<"$doc")" = "$id" ] || fail "wrong id in $doc"

# Updates: a rename, a new menu and a status change converge too.
api PATCH "$STORE_URL/stores/$id" '{"name":"행복한 김밥","menu":[{"name":"떡볶이","price":5000}]}' \
	-H "If-Match: \"$version\""
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
version=$(jq -r .version <<<"$BODY")
api PATCH "$STORE_URL/stores/$id" '{"status":"closed"}' -H "If-Match: \"$version\""
[ "$STATUS" = 200 ] || fail "second patch answered $STATUS: $BODY"
version=$(jq -r .version <<<"$BODY")
wait_until 10 store_matches_doc "$id"
[ "$(doc_of "$id" | jq -r .version)" = "$version" ] || fail "document not at v$version"

# display-svc said what it did with that version.
# kcat's status is not trusted: under load it may end early, and the next
# poll reads again.
reaction_seen() {
	local out
	out=$(kcat -b "$BROKERS" -C -t store.reactions -o beginning -e -q 2>/dev/null || true)
	jq_any --argjson id "$id" --argjson v "$version" \
		'select(.service == "display" and .store_id == $id and .applied_version == $v and .action == "applied")' \
		<<<"$out"
}
wait_until 20 reaction_seen

# Deleted: 410, and it leaves the count; unknown: 404; not an id: 400.
api DELETE "$STORE_URL/stores/$id2" '' -H 'If-Match: "1"'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
gone() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$DISPLAY_URL/shops/$id2")" = 410 ]; }
wait_until 10 gone
api GET "$DISPLAY_URL/shops/999999"
[ "$STATUS" = 404 ] || fail "unknown store answered $STATUS"
[ "$(jq -r .status <<<"$BODY")" = 404 ] || fail "404 is not problem+json: $BODY"
api GET "$DISPLAY_URL/shops/abc"
[ "$STATUS" = 400 ] || fail "a bad id answered $STATUS"
[ "$(jq -r .field <<<"$BODY")" = id ] || fail "400 does not name the id: $BODY"

api GET "$DISPLAY_URL/health"
[ "$STATUS" = 200 ] || fail "health answered $STATUS: $BODY"
[ "$(jq -r '.status, .documents, .consumer.service' <<<"$BODY" | tr '\n' ' ')" = "ok 1 display " ] ||
	fail "health: $BODY"
metrics=$(curl -sf "$DISPLAY_URL/metrics")
grep -q '^display_documents 1$' <<<"$metrics" || fail "metrics: no display_documents 1"
grep -q '^storectl_consumer_events_total{service="display"}' <<<"$metrics" ||
	fail "metrics: no consumer stats"

# A restart keeps the documents (and needs no event to serve them).
stop_proc display
start_display
store_matches_doc "$id" || fail "document lost across a restart"
gone || fail "the deleted store came back after a restart"
log "ok"
