#!/usr/bin/env bash
# The Stream screen: one row per event with search-svc's reaction; '/'
# filters by store, type, service and reaction (a bad word is named and
# the old filter stays); f pauses and counts what arrives meanwhile, G
# follows again; Enter shows the event in full, at the partition and
# offset kcat reads it from, with the reaction's record.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store
start_search

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
a=$(create '{"owner":"owner-1","name":"Stream One","category":"cafe"}')
b=$(create '{"owner":"owner-2","name":"Stream Two","category":"pizza"}')
api PATCH "$STORE_URL/stores/$a" '{"name":"Stream One v2"}' -H 'If-Match: "1"'
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
api PATCH "$STORE_URL/stores/$a" '{"phone":"02-555-0111"}' -H 'If-Match: "2"'
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"

console_start --store-api "$STORE_URL" --search-api "$SEARCH_URL" \
	--brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 '^ Stores - 2 stores'
keys :
type_text stream
keys Enter
wait_screen 5 '^ Stream - following - 4 events$'
wait_screen 5 '^TIME +STORE TYP VER FIELDS +SEARCH +ADS +FAVS +REVIEWS +DISPLAY$'
# (search-svc may fold versions into one fetch: ^v3, stale and x2 are fine)
wait_screen 20 "^[0-9:]+ +$a upd +3 phone +(ok|x[0-9]|stale) "

# Filters: a store, a type, a service's column, a reaction.
keys /
type_text "$a"
wait_screen 5 "^ Stream - following - 3 events - 3 of 4 - /$a$"
keys Enter
wait_screen 5 '3 of 4 events match'
keys / C-u
type_text 'created'
keys Enter
wait_screen 5 '^ Stream - following - 2 events - 2 of 4 - /created$'
keys / C-u
type_text 'search'
keys Enter
wait_screen 5 '^TIME +STORE TYP VER FIELDS +SEARCH *$'
wait_screen 5 "^[0-9:]+ +$b new +1 .* applied [0-9<.]+m?s"
keys / C-u
type_text 'failed'
keys Enter
wait_screen 5 'no event matches the filter'
# A word it does not know is named; the filter stays as it was.
keys / C-u
type_text 'zzz'
keys Enter
wait_screen 5 'filter: "zzz"\? Filter by a store id'
wait_screen 5 '/failed$'
keys / C-u Enter
wait_screen 5 '^ Stream - following - 4 events$'

# Pause: new events are counted, not followed; G follows again.
keys f
wait_screen 5 '^ Stream - PAUSED - 0 new'
api PATCH "$STORE_URL/stores/$b" '{"status":"closed"}' -H 'If-Match: "1"'
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
wait_screen 10 '^ Stream - PAUSED - 1 new'
keys G
wait_screen 5 '^ Stream - following - 5 events$'

# The detail of store a's creation, where kcat finds it.
keys /
type_text "$a created"
keys Enter g
wait_screen 5 "^[0-9:]+ +$a new +1 "
keys Enter
wait_screen 5 "^ Event - store $a v1 - p[0-9]+ @ [0-9]+ - Esc back"
wait_screen 5 "^ Store $a created, version 1$"
wait_screen 5 '^ +"type": "created",$'
where=$(screen | sed -n 's/.*store\.events partition \([0-9]*\) offset \([0-9]*\).*/\1 \2/p' | head -n 1)
[ -n "$where" ] || fail "no partition and offset on the detail"
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%p %o %s\n' 2>/dev/null >"$T/events.txt"
grep -q "^$where {.*\"store_id\":$a,.*\"version\":1" "$T/events.txt" ||
	fail "kcat has no event of store $a v1 at partition/offset $where: $(cat "$T/events.txt")"
keys G
wait_screen 5 '^ Reactions on store.reactions$'
wait_screen 10 '^ +search +applied, holds v[123], lag'
wait_screen 5 '"service": "search"'
wait_screen 5 '"action": "applied"'
keys Escape
wait_screen 5 "^ Stream - PAUSED - 0 new - f or G follows - 1 of 5 - /$a created$"
keys q
console_quit_check
log "ok"
