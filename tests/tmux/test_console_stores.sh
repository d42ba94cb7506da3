#!/usr/bin/env bash
# The Stores screen: '/' filters as you type (Esc restores), s and S sort,
# p pauses with a reason, o opens, c closes, d deletes after a y/N
# question, n makes a new store. The store API decides who sees what: an
# owner's token lists only their stores (and a new store is theirs), a bad
# token gets a 401 that says where a token comes from, the read-only
# service role a 403.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
a=$(create '{"owner":"owner-1","name":"Alpha Burger","category":"burger","area":"gangnam"}')
b=$(create '{"owner":"owner-2","name":"베타 치킨","category":"chicken","area":"mapo"}')
c=$(create '{"owner":"owner-1","name":"Gamma Cafe","category":"cafe","area":"gangnam"}')

# The operator (STORECTL_TOKEN from lib.sh) sees every store.
console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$a Alpha Burger +owner-1 +burger +gangnam +open +1 *$"
wait_screen 5 "^ +$b 베타 치킨 +owner-2 +chicken +mapo +open +1 *$"
wait_screen 5 '^ Stores - 3 stores$'

# Filter live while typing; Esc puts the old filter back.
keys /
type_text 치킨
wait_screen 5 '^ Stores - 1 of 3 - /치킨$'
wait_no_screen 5 'Alpha Burger'
keys Escape
wait_screen 5 '^ Stores - 3 stores$'
keys /
type_text GANGNAM
keys Enter
wait_screen 5 '^ Stores - 2 of 3 - /GANGNAM$'
wait_no_screen 5 '베타 치킨'
keys / C-u Enter
wait_screen 5 '^ Stores - 3 stores$'

# Sort by name (ASCII before Hangul), then reversed.
keys s
wait_screen 5 '^ Stores - 3 stores - by name$'
[ "$(screen | sed -n '4p' | grep -c 'Alpha Burger')" = 1 ] || fail "not sorted by name: $(screen | sed -n '4,6p')"
[ "$(screen | sed -n '6p' | grep -c '베타 치킨')" = 1 ] || fail "not sorted by name: $(screen | sed -n '4,6p')"
keys S
wait_screen 5 '^ Stores - 3 stores - by name, reversed$'
[ "$(screen | sed -n '4p' | grep -c '베타 치킨')" = 1 ] || fail "not reversed: $(screen | sed -n '4,6p')"
# Around the other columns back to id, in order.
keys s s s s s s S
wait_screen 5 '^ Stores - 3 stores$'

# Pause the first store with a reason, then open and close it.
keys g p
wait_screen 5 "^Pause store $a, reason:"
type_text '재료 소진'
keys Enter
wait_screen 10 "^ +$a Alpha Burger +owner-1 +burger +gangnam +paused +2 *$"
wait_screen 5 'paused v2'
api GET "$STORE_URL/stores/$a"
[ "$(jq -r '.status + "|" + .status_reason' <<<"$BODY")" = "paused|재료 소진" ] ||
	fail "not paused with the reason: $BODY"
keys o
wait_screen 10 "^ +$a Alpha Burger .* open +3 *$"
api GET "$STORE_URL/stores/$a"
[ "$(jq -r '.status + "|" + (.status_reason // "none")' <<<"$BODY")" = "open|none" ] ||
	fail "reopening kept the reason: $BODY"
keys c
wait_screen 10 "^ +$a Alpha Burger .* closed +4 *$"

# Delete asks first: n keeps the store, y deletes it.
keys G d
wait_screen 5 "^Delete store $c \"Gamma Cafe\" \(v1\)\? y/N"
keys n
wait_screen 5 'not deleted'
api GET "$STORE_URL/stores/$c"
[ "$STATUS" = 200 ] || fail "n deleted the store: $STATUS"
keys d
wait_screen 5 "^Delete store $c"
keys y
wait_screen 10 '^ Stores - 2 stores$'
wait_screen 5 'deleted v2'
api GET "$STORE_URL/stores/$c"
[ "$STATUS" = 410 ] || fail "the store was not deleted: $STATUS $BODY"

# n: a blank form; the owner must be named by an operator.
keys n
wait_screen 5 '^ Editor - new store'
wait_screen 5 '^ Owner( |$)'
type_text owner-2
keys Down
type_text '새 가게'
keys C-s
wait_screen 10 'created v1'
wait_screen 5 '^ Editor - store [0-9]+ - v1$'
keys Escape
wait_screen 10 '^ +[0-9]+ 새 가게 +owner-2 +korean +open +1 *$'

# Edits left behind with Esc Esc are kept until another store is opened,
# and then the editor asks first.
keys g Enter
wait_screen 10 "Editor - store $a - v4$"
type_text ' 2'
keys Escape Escape
wait_screen 5 '^ Stores - '
keys G Enter
wait_screen 5 "^Store $a has unsaved edits: drop them\? y/N"
keys n
wait_screen 5 'your edits are kept'
wait_screen 5 "Editor - store $a - v4 - modified"
keys Escape Escape G Enter y
wait_screen 10 'Editor - store [0-9]+ - v1$'
wait_screen 5 '^ Name +새 가게'
keys Escape
keys q
console_quit_check
console_stop

# An owner's token: only owner-1's store, and a new store is theirs.
console_start --store-api "$STORE_URL" --brokers "$BROKERS" --token "$OWNER1_TOKEN"
wait_screen 10 "^ +$a Alpha Burger +owner-1 "
wait_screen 5 '^ Stores - 1 store$'
keys n
wait_screen 5 '^ Owner +owner-1'
keys Escape
keys q
console_quit_check
console_stop

# A token the API does not know: 401, and the console says what to do.
console_start --store-api "$STORE_URL" --brokers "$BROKERS" --token not-a-token
wait_screen 10 '401: the store API wants a valid token \(--token, STORECTL_TOKEN or token in'
keys q
console_quit_check
console_stop

# The service role reads but may not write: 403 on a pause.
console_start --store-api "$STORE_URL" --brokers "$BROKERS" --token "$SERVICE_TOKEN"
wait_screen 10 "^ +$a Alpha Burger "
keys g p
type_text 'nope'
keys Enter
wait_screen 10 "store $a not paused: 403: your token's role may not do this"
keys q
console_quit_check
log "ok"
