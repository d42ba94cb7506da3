#!/usr/bin/env bash
# The whole path: a store created and renamed over HTTP reaches search-svc
# through the outbox, the broker and the consumer runtime, and the reaction
# records name search-svc's handling of each version.
. "$(dirname "$0")/../lib.sh"

start_broker
start_store
start_search
# The owner edits; search-svc reads with the service token (start_search).
API_TOKEN=$OWNER1_TOKEN

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"김밥천국 역삼점","category":"korean","phone":"02-555-0101","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
version=$(jq -r .version <<<"$BODY")

found() { curl -sf --get --data-urlencode "q=$1" "$SEARCH_URL/search" | jq -e --argjson id "$id" '.ids | index($id) != null'; }
absent() { curl -sf --get --data-urlencode "q=$1" "$SEARCH_URL/search" | jq -e --argjson id "$id" '.ids | index($id) == null'; }

# A Korean substring of the name, shorter and longer than a trigram.
wait_until 20 found "김밥"
wait_until 5 found "천국 역삼"

api PATCH "$STORE_URL/stores/$id" '{"name":"행복한 떡볶이집"}' -H "If-Match: \"$version\""
[ "$STATUS" = 200 ] || fail "rename answered $STATUS: $BODY"
new_version=$(jq -r .version <<<"$BODY")
[ "$new_version" -gt "$version" ] || fail "version did not grow: $version -> $new_version"

wait_until 10 found "떡볶이"
absent "김밥천국" || fail "the old name still finds store $id"

# search-svc said what it did with the new version on store.reactions.
reaction_seen() {
	kcat -b "$BROKERS" -C -t store.reactions -o beginning -e -q 2>/dev/null |
		jq_any --argjson id "$id" --argjson v "$new_version" \
			'select(.service == "search" and .store_id == $id and .applied_version == $v and .action == "applied")'
}
wait_until 10 reaction_seen

# Every committed version has its zero-payload event, values never included.
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%k %s\n' >"$T/events"
grep -q "^$id .*\"version\":$version" "$T/events" || fail "no event for v$version"
grep -q "^$id .*\"version\":$new_version" "$T/events" || fail "no event for v$new_version"
! grep -q '떡볶이' "$T/events" || fail "an event carries the store's data"
log "ok"
