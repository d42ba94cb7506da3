#!/usr/bin/env bash
# The editor shows the store API's verdicts where they belong: a 422 puts
# each reason under the field it names and keeps the edits. When someone
# else saves, an untouched form follows; one with edits says a newer
# version exists, and its save gets a 412 that shows what changed on both
# sides: k keeps my edits on top of their version (the next save wins), r
# takes theirs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"Pizza Planet","category":"pizza","phone":"02-555-0103","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id Pizza Planet +owner-1 +pizza +open +1 *$"
keys G Enter
wait_screen 10 "Editor - store $id - v1"
wait_screen 5 '^ Category +< pizza >'

# Two bad fields: both reasons appear under their fields, nothing is saved.
# The cursor starts in Name; Phone is four fields down, Min order five more.
keys Down Down Down Down C-u
type_text abc
keys Down Down Down Down Down C-u
type_text 15
keys C-s
wait_screen 10 '^ +phone must look like'
wait_screen 5 '^ +min_order .*(multiple of 10|10 won)'
wait_screen 5 'not saved \(422\)'
wait_screen 5 "Editor - store $id - v1 - modified"
wait_screen 5 '^ \[Store!\]'
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .version <<<"$BODY")" = 1 ] || fail "a rejected save changed the store: $BODY"

# The focus went to the first field named (phone); fix both and save.
keys C-u
type_text 02-555-0199
keys Down Down Down Down Down C-u
type_text 15000
keys C-s
wait_screen 10 'saved v2'
wait_screen 5 "Editor - store $id - v2$"
wait_no_screen 5 'must look like|multiple of'
api GET "$STORE_URL/stores/$id"
[ "$(jq -r '.phone + " " + (.min_order | tostring)' <<<"$BODY")" = "02-555-0199 15000" ] ||
	fail "the save did not reach the store: $BODY"

# Someone else saves version 3 while the form is clean: it follows.
api PATCH "$STORE_URL/stores/$id" '{"status":"closed"}' -H 'If-Match: "2"'
[ "$STATUS" = 200 ] || fail "the concurrent edit answered $STATUS: $BODY"
wait_screen 10 "Editor - store $id - v3$"
wait_screen 5 '^ Status +< closed >'

# Now with an edit on the form (Name, nine fields up): the title warns of
# version 4, and saving our v3-based edit gets a 412 that shows the diff.
keys Up Up Up Up Up Up Up Up Up C-u
type_text '다른 이름'
wait_screen 5 '^ Name\* +다른 이름'
api PATCH "$STORE_URL/stores/$id" '{"phone":"02-555-0200"}' -H 'If-Match: "3"'
[ "$STATUS" = 200 ] || fail "the second concurrent edit answered $STATUS: $BODY"
wait_screen 10 "Editor - store $id - v3 - modified - v4 elsewhere"
keys C-s
wait_screen 10 "Not saved: someone else changed store $id \(you loaded v3, it is at v4 now\)"
wait_screen 5 "Editor - store $id - v3 - CONFLICT"
wait_screen 5 '^ FIELD +THEIRS \(v4\) +YOURS'
wait_screen 5 '^ phone +02-555-0200 +\(not changed\)'
wait_screen 5 '^ name +\(not changed\) +다른 이름'
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .name <<<"$BODY")" = "Pizza Planet" ] || fail "a stale save went through: $BODY"

# k: my name on top of their version 4; the next save sends it.
keys k
wait_screen 5 'your edits now sit on v4'
wait_screen 5 "Editor - store $id - v4 - modified"
wait_screen 5 '^ Phone +02-555-0200'
wait_screen 5 '^ Name\* +다른 이름'
keys C-s
wait_screen 10 "Editor - store $id - v5$"
api GET "$STORE_URL/stores/$id"
[ "$(jq -r '.name + "|" + .phone + "|" + .status' <<<"$BODY")" = "다른 이름|02-555-0200|closed" ] ||
	fail "keep-mine did not merge: $BODY"

# Another conflict, answered with r: their version, my edit dropped.
keys C-u
type_text 'Mine Again'
api PATCH "$STORE_URL/stores/$id" '{"category":"chicken"}' -H 'If-Match: "5"'
[ "$STATUS" = 200 ] || fail "the third concurrent edit answered $STATUS: $BODY"
wait_screen 10 "v5 - modified - v6 elsewhere"
keys C-s
wait_screen 10 '^ category +chicken +\(not changed\)'
keys r
wait_screen 10 "Editor - store $id - v6$"
wait_screen 5 '^ Name +다른 이름'
wait_screen 5 '^ Category +< chicken >'

keys Escape
wait_screen 10 "^ +$id 다른 이름 +owner-1 +chicken +closed +6 *$"
keys q
console_quit_check
log "ok"
