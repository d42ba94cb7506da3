#!/usr/bin/env bash
# The console's main path in an 80x24 terminal: open a store from the list,
# rename it to a Korean name, save with Ctrl-S, and see the ripple: the
# status line counts the services that applied the new version, and the
# Stream shows search-svc's reaction. Korean renders and aligns in the
# list; then quit and check the terminal came back as it was.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store
start_search

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"Kimbap Heaven","category":"korean","phone":"02-555-0101","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
[ "$(jq -r .version <<<"$BODY")" = 1 ] || fail "new store is not at version 1: $BODY"

console_start --store-api "$STORE_URL" --search-api "$SEARCH_URL" \
	--brokers "$BROKERS" -X fetch.wait.max.ms=5

# The list has the store; the title names the screens.
wait_screen 10 "^ +$id Kimbap Heaven +owner-1 +korean +open +1 *$"
wait_screen 5 '\[Stores\] Editor  Stream  Services  Query'

# The newest store is the last row; open it. The cursor starts in Name.
keys G Enter
wait_screen 10 "Editor - store $id - v1"
wait_screen 5 '^ Name +Kimbap Heaven'
wait_screen 5 '^ \[Store\]  Hours   Menu\(0\)   owner owner-1'
keys C-u
type_text '김밥천국 강남점'
wait_screen 5 '^ Name\* +김밥천국 강남점'
wait_screen 5 "Editor - store $id - v1 - modified"

# Save once search-svc has joined its group, so the ripple has a service
# to count (its reaction to the creation shows it has).
wait_until 30 bash -c "curl -sf '$SEARCH_URL/health' | jq -e '.consumer.partitions | length > 0'"
keys C-s
wait_screen 15 'saved v2: propagated to 1/1 services in [0-9.]+ ms'
wait_screen 5 "Editor - store $id - v2$"

# The store API has the new name.
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .name <<<"$BODY")" = '김밥천국 강남점' ] ||
	fail "the store API has name $(jq -r .name <<<"$BODY")"

# Ctrl-W puts the Stream under the editor (at this size it shares only
# when asked): the save's row with search-svc's reaction and its latency.
keys C-w
wait_screen 5 '^ Stream - following'
wait_screen 5 "Editor - store $id - v2"
# (stale when search-svc's fetch for v1 already got v2: also handled;
# x2 and ^v2 when search-svc joined late and took both in one batch)
wait_screen 10 "^[0-9:]+ +$id upd +2 name +((ok|x2) [0-9<.]+m?s|stale) "
wait_screen 5 "^[0-9:]+ +$id new +1 .* (ok [0-9<.]+m?s|\^v2)"
keys C-w
wait_no_screen 5 '^ Stream - following'

# Esc goes back to the list, where the Korean name (two columns a
# syllable) keeps the columns aligned.
keys Escape
wait_screen 10 "^ +$id 김밥천국 강남점 +owner-1 +korean +open +2 *$"
same_column '^ +ID NAME' OWNER "^ +$id 김밥" owner-1
same_column '^ +ID NAME' STATUS "^ +$id 김밥" open

# ':' jumps to the Stream by name; Esc comes back.
keys :
type_text stream
keys Enter
wait_screen 5 '^ Stream - following'
wait_screen 5 "^[0-9:]+ +$id upd +2 name +(ok|x2|stale) "
keys Escape
wait_screen 5 '^ Stores - '

keys q
console_quit_check
log "ok"
