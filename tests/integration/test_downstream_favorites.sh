#!/usr/bin/env bash
# favorites-svc: a user's list takes only stores that exist (asking the
# store API when its copy does not know one yet), is idempotent, shows each
# store's current name and status, newest first, and a deleted store
# leaves every list.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

start_broker
start_store
start_favorites

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
A=$(create '{"owner":"owner-1","name":"김밥천국","category":"korean","status":"open"}')
B=$(create '{"owner":"owner-2","name":"교촌치킨","category":"chicken","status":"open"}')

put() { api PUT "$FAVORITES_URL/users/$1/favorites/$2"; }
# At once: the copy may not hold the stores yet; favorites-svc asks.
put u1 "$A"
[ "$STATUS" = 204 ] || fail "favorite A: $STATUS $BODY"
sleep 0.01
put u1 "$B"
[ "$STATUS" = 204 ] || fail "favorite B: $STATUS $BODY"
put u1 "$B"
[ "$STATUS" = 204 ] || fail "favorite B again: $STATUS $BODY"
put u2 "$A"
[ "$STATUS" = 204 ] || fail "u2's favorite: $STATUS $BODY"

# Refusals name what is wrong and change nothing.
put u1 999999
[ "$STATUS" = 404 ] && [ "$(jq -r .field <<<"$BODY")" = store_id ] || fail "unknown store: $STATUS $BODY"
put 'bad%20user' "$A"
[ "$STATUS" = 400 ] && [ "$(jq -r .field <<<"$BODY")" = user ] || fail "bad user: $STATUS $BODY"
put u1 abc
[ "$STATUS" = 400 ] && [ "$(jq -r .field <<<"$BODY")" = store_id ] || fail "bad store id: $STATUS $BODY"

list() { curl -sf "$FAVORITES_URL/users/$1/favorites"; }
list u1 | jq -e --argjson a "$A" --argjson b "$B" \
	'.ids == [$b, $a] and .stores[0] == {"id": $b, "name": "교촌치킨", "status": "open"}' >/dev/null ||
	fail "u1's list: $(list u1)"
[ "$(list nobody | jq -c .ids)" = '[]' ] || fail "an empty list: $(list nobody)"

# The copy follows the store: a rename and a status change show.
api PATCH "$STORE_URL/stores/$A" '{"name":"행복한 김밥","status":"closed"}' -H 'If-Match: *'
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
renamed() { list u1 | jq -e '.stores[1] | .name == "행복한 김밥" and .status == "closed"'; }
wait_until 10 renamed

# A deleted store leaves every list, and cannot be added again.
api DELETE "$STORE_URL/stores/$A" '' -H 'If-Match: *'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
left() { [ "$(list u1 | jq -c .ids)" = "[$B]" ] && [ "$(list u2 | jq -c .ids)" = '[]' ]; }
wait_until 10 left
put u1 "$A"
[ "$STATUS" = 404 ] && [ "$(jq -r .rule <<<"$BODY")" = deleted ] || fail "favorite of a deleted store: $STATUS $BODY"
wait_converged 10 "$A" "$B"

# Removing: idempotent.
api DELETE "$FAVORITES_URL/users/u1/favorites/$B"
[ "$STATUS" = 204 ] || fail "remove: $STATUS $BODY"
api DELETE "$FAVORITES_URL/users/u1/favorites/$B"
[ "$STATUS" = 204 ] || fail "remove again: $STATUS $BODY"
[ "$(list u1 | jq -c .ids)" = '[]' ] || fail "after removing: $(list u1)"
health_of favorites | jq -e '.status == "ok" and .favorites == 0 and .held == 1' >/dev/null ||
	fail "health: $(health_of favorites)"
stop_downstream
log ok
