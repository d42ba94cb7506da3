#!/usr/bin/env bash
# The editor shows the store API's verdicts where they belong: a 422 puts
# each reason under the field it names and keeps the edits. When someone
# else saves, an untouched form follows; one with edits says a newer
# version exists, its save gets a 412, and r reloads the current version.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"Pizza Planet","category":"pizza","phone":"02-555-0103","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id Pizza Planet +pizza +open +1 *$"
keys G Enter
wait_screen 10 "Editor - store $id - v1"
wait_screen 5 '^ Category +pizza'

# Two bad fields: both reasons appear under their fields, nothing is saved.
keys Tab C-u
type_text sushi
keys Tab C-u
type_text abc
keys C-s
wait_screen 10 '^ +category must be one of'
wait_screen 5 '^ +phone must look like'
wait_screen 5 'not saved \(422\)'
wait_screen 5 "Editor - store $id - v1 - modified"
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .version <<<"$BODY")" = 1 ] || fail "a rejected save changed the store: $BODY"

# The focus went to the first field named (category); fix both and save.
keys C-u
type_text cafe
keys Tab C-u
type_text 02-555-0199
keys C-s
wait_screen 10 'saved v2'
wait_screen 5 "Editor - store $id - v2$"
wait_no_screen 5 'must (be one of|look like)'
api GET "$STORE_URL/stores/$id"
[ "$(jq -r '.category + " " + .phone' <<<"$BODY")" = "cafe 02-555-0199" ] ||
	fail "the save did not reach the store: $BODY"

# Someone else saves version 3 while the form is clean: it follows.
api PATCH "$STORE_URL/stores/$id" '{"status":"closed"}' -H 'If-Match: "2"'
[ "$STATUS" = 200 ] || fail "the concurrent edit answered $STATUS: $BODY"
wait_screen 10 "Editor - store $id - v3$"
wait_screen 5 '^ Status +closed'

# Now with an edit on the form: the title warns of version 4, and saving
# our v3-based edit gets a 412 that the editor explains.
keys Up Up C-u
type_text '다른 이름'
wait_screen 5 '^ Name\* +다른 이름'
api PATCH "$STORE_URL/stores/$id" '{"phone":"02-555-0200"}' -H 'If-Match: "3"'
[ "$STATUS" = 200 ] || fail "the second concurrent edit answered $STATUS: $BODY"
wait_screen 10 "Editor - store $id - v3 - modified - v4 elsewhere"
keys C-s
wait_screen 10 'Changed by someone else \(now v4\)'
wait_screen 5 "Editor - store $id - v3 - CONFLICT"
api GET "$STORE_URL/stores/$id"
[ "$(jq -r .name <<<"$BODY")" = "Pizza Planet" ] || fail "a stale save went through: $BODY"

# r reloads version 4: their phone, our edit dropped.
keys r
wait_screen 10 "Editor - store $id - v4$"
wait_screen 5 '^ Phone +02-555-0200'
wait_screen 5 '^ Name +Pizza Planet'

keys Escape
wait_screen 10 "^ +$id Pizza Planet +cafe +closed +4 *$"
keys q
console_quit_check
log "ok"
