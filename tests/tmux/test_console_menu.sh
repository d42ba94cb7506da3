#!/usr/bin/env bash
# The editor's Hours and Menu sections: a day's periods typed as text (a
# shape the console cannot read is refused at the day; an overlap the
# store API refuses comes back to the day), Ctrl-Y copies a day to every
# day; menu items marked sold out, removed, added, moved, and a price the
# API refuses shown at the item and in its form.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"분식나라","category":"snack",
	"menu":[{"name":"떡볶이","price":4000},{"name":"순대","price":5000},{"name":"튀김","price":3000}]}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id 분식나라 "
keys Enter
wait_screen 10 "Editor - store $id - v1"
wait_screen 5 '^ \[Store\]  Hours   Menu\(3\)'

# Hours: the store has none yet.
keys Tab
wait_screen 5 '^  Store  \[Hours\]  Menu\(3\)'
wait_screen 5 'publishes no hours yet'
keys C-u
type_text '9 to 5'
keys C-s
wait_screen 5 'not saved: Mon: "9 to 5"\? write periods like 09:00-15:00'
wait_screen 5 '^ +"9 to 5"\? write periods like 09:00-15:00, 17:00-22:00 \(or closed\)'
# A time out of range is named as such.
keys C-u
type_text '09:00-25:00'
keys C-s
wait_screen 5 '^ +25:00 is not a time of day \(00:00 to 24:00\)'
# An overlap: the console sends it, the API says no, at Monday.
keys C-u
type_text '10:00-14:00, 13:00-20:00'
keys C-s
wait_screen 10 'not saved \(422\)'
wait_screen 5 '^ +hours\.mon\[1\] starts before the period above it ends'
wait_screen 5 '^  Store  \[Hours!\]'
keys C-u
type_text '10:00-14:00, 15:00-20:00'
keys C-y
wait_screen 5 '^ Sun\* +10:00-14:00, 15:00-20:00'
keys C-s
wait_screen 10 "Editor - store $id - v2$"
api GET "$STORE_URL/stores/$id"
[ "$(jq -c .hours.sun <<<"$BODY")" = '[{"open":"10:00","close":"14:00"},{"open":"15:00","close":"20:00"}]' ] ||
	fail "the hours did not reach the store: $(jq -c .hours <<<"$BODY")"

# Menu: sold out, removed, and a new item with a price the API refuses.
keys Tab
wait_screen 5 '\[Menu\(3\)\]'
wait_screen 5 '^ +1 떡볶이 +4,000 *$'
keys Space
wait_screen 5 '^\* +1 떡볶이 +4,000 SOLD OUT'
keys j x
wait_screen 5 '^- +2 순대 +5,000 removed'
keys a
wait_screen 5 'New menu item'
type_text '김밥'
keys Down
type_text 3005
keys Escape
wait_screen 5 '^\+ +김밥 +3,005'
keys C-s
wait_screen 10 'not saved \(422\)'
wait_screen 5 '^! +김밥 +3,005'
wait_screen 5 'menu\[2\]\.price must be a multiple of 10 won'
wait_screen 5 '\[Menu\(4\)!\]'
# Its form shows the API's word under Price once saved again.
keys Enter
wait_screen 5 '^ Price +3005'
keys Down C-u
type_text 3000
keys Escape
keys C-s
wait_screen 10 "Editor - store $id - v3$"
wait_screen 5 '^ +4 김밥 +3,000'
api GET "$STORE_URL/stores/$id"
[ "$(jq -c '[.menu[] | [.id, .name, .price, .sold_out]]' <<<"$BODY")" = \
	'[[1,"떡볶이",4000,true],[3,"튀김",3000,false],[4,"김밥",3000,false]]' ] ||
	fail "the menu did not reach the store: $(jq -c .menu <<<"$BODY")"

# K moves the new item up one place.
keys K
wait_screen 5 "Editor - store $id - v3 - modified"
screen | sed -n '6p' | grep -qE '^ +4 김밥' || fail "K did not move the item up: $(screen | sed -n '5,7p')"
keys C-s
wait_screen 10 "Editor - store $id - v4$"
api GET "$STORE_URL/stores/$id"
[ "$(jq -c '[.menu[].id]' <<<"$BODY")" = '[1,4,3]' ] ||
	fail "the order did not reach the store: $(jq -c .menu <<<"$BODY")"

keys Escape q
console_quit_check
log "ok"
