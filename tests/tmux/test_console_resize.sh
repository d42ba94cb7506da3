#!/usr/bin/env bash
# The console resizes cleanly: below 80x24 it says so instead of drawing a
# broken layout, grown back it redraws everything, wider it uses the room,
# and q still quits from the "too small" message.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"떡볶이 천국","category":"snack","phone":"02-555-0102","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id 떡볶이 천국 +snack +open +1 *$"
wait_screen 10 '^ Stream - following'

# One column short is too small already; so is one line short.
tmux_cmd resize-window -t console -x 79 -y 24
wait_screen 5 'Terminal too small: 79x24'
wait_no_screen 1 'Stream - '
tmux_cmd resize-window -t console -x 80 -y 23
wait_screen 5 'Terminal too small: 80x23'
tmux_cmd resize-window -t console -x 60 -y 15
wait_screen 5 'Terminal too small: 60x15'
screen | grep -q 'needs at least 80x24' || fail "the message does not say the minimum"

# Back to 80x24: the whole layout returns.
tmux_cmd resize-window -t console -x 80 -y 24
wait_no_screen 5 'too small'
wait_screen 5 "^ +$id 떡볶이 천국 +snack +open +1 *$"
wait_screen 5 '^ Stream - following'
[ "$(screen | wc -l)" -eq 24 ] || fail "expected 24 lines"
screen | tail -n 1 | grep -q 'q quit' || fail "no status line at the bottom: $(screen | tail -n 1)"

# Larger: the flexible columns widen, the panes share the extra lines and
# the status line is still the last one.
tmux_cmd resize-window -t console -x 120 -y 40
wait_screen 5 "^ +ID NAME {50,}CATEGORY +STATUS +VER$"
screen | sed -n '21p' | grep -q '^ Stream - ' ||
	fail "the Stream pane does not start half way down: $(screen | sed -n '21p')"
screen | sed -n '40p' | grep -qE ' q quit *$' ||
	fail "no status line on line 40: $(screen | sed -n '40p')"

# q quits even from the message.
tmux_cmd resize-window -t console -x 50 -y 10
wait_screen 5 'Terminal too small: 50x10'
tmux_cmd resize-window -t console -x 80 -y 24
wait_screen 5 '^ Stream - '
tmux_cmd resize-window -t console -x 70 -y 20
wait_screen 5 'Terminal too small: 70x20'
keys q
console_quit_check
log "ok"
