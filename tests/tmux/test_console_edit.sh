#!/usr/bin/env bash
# The console's main path in an 80x24 terminal: open a store from the list,
# rename it to a Korean name, save with Ctrl-S, and see the ripple: the
# status line and the Stream pane show search-svc applying the new version.
# Then quit and check the terminal came back as it was.
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

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5

# The list has the store; the Stream pane has its creation and the reaction.
wait_screen 10 "^ +$id Kimbap Heaven +korean +open +1 *$"
wait_screen 15 "^[0-9:.]+ +$id created +1 .* applied "

# The newest store is the last row; open it.
keys G Enter
wait_screen 10 "Editor - store $id - v1"
wait_screen 5 '^ Name +Kimbap Heaven'

# The cursor starts in Name: clear it, type Hangul, save.
keys C-u
type_text '김밥천국 강남점'
wait_screen 5 '^ Name\* +김밥천국 강남점'
keys C-s

# The ripple: the status line, then the Stream row of version 2.
wait_screen 15 'saved v2; search applied in [0-9.]+ ms'
wait_screen 15 "^[0-9:.]+ +$id updated +2 name +applied [0-9<]+m?s"
wait_screen 5 "Editor - store $id - v2"

# The store API has the new name.
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .name <<<"$BODY")" = '김밥천국 강남점' ] ||
	fail "the store API has name $(jq -r .name <<<"$BODY")"

# Back on the list the row shows the Korean name at version 2. Each of its
# seven syllables takes two columns, so CATEGORY (column 53 of the heading)
# starts seven characters earlier in the row when the layout counts columns.
keys Escape
wait_screen 10 "^ +$id 김밥천국 강남점 +korean +open +2 *$"
screen | LC_ALL=C.UTF-8 grep -qE '^.{53}CATEGORY' ||
	fail "unexpected heading: $(screen | grep CATEGORY)"
screen | grep -E "^ +$id 김밥천국" | LC_ALL=C.UTF-8 grep -qE '^.{46}korean' ||
	fail "the list row is misaligned: $(screen | grep -E "^ +$id ")"

keys q
console_quit_check
log "ok"
