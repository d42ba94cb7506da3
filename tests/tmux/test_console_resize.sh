#!/usr/bin/env bash
# The console resizes cleanly: below 80x24 it says so instead of drawing a
# broken layout, grown back it redraws everything; 40 lines or more put
# the Stream under the list, 160 columns or more beside it; Ctrl-W on a
# screen without the pane toggles it for Stores and the Editor and says
# so; q still quits from the "too small" message.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store

api POST "$STORE_URL/stores" \
	'{"owner":"owner-1","name":"떡볶이 천국","category":"snack","phone":"02-555-0102","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")

console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id 떡볶이 천국 +owner-1 +snack +open +1 *$"
# 80x24: the list alone.
wait_no_screen 2 'Stream - '

# One column short is too small already; so is one line short.
tmux_cmd resize-window -t console -x 79 -y 24
wait_screen 5 'Terminal too small: 79x24'
wait_no_screen 1 'Stores - '
tmux_cmd resize-window -t console -x 80 -y 23
wait_screen 5 'Terminal too small: 80x23'
tmux_cmd resize-window -t console -x 60 -y 15
wait_screen 5 'Terminal too small: 60x15'
screen | grep -q 'needs at least 80x24' || fail "the message does not say the minimum"

# Back to 80x24: the whole layout returns.
tmux_cmd resize-window -t console -x 80 -y 24
wait_no_screen 5 'too small'
wait_screen 5 "^ +$id 떡볶이 천국 +owner-1 +snack +open +1 *$"
[ "$(screen | wc -l)" -eq 24 ] || fail "expected 24 lines"
screen | tail -n 1 | grep -q ' : ? q *$' || fail "no status line at the bottom: $(screen | tail -n 1)"

# 40 lines: the Stream shares the screen, below the list; the flexible
# column takes the extra width; the status line is still the last one.
tmux_cmd resize-window -t console -x 120 -y 40
wait_screen 5 "^ +ID NAME {40,}OWNER +CATEGORY +AREA +STATUS +VER$"
wait_screen 5 '^ Stream - following'
screen | sed -n '24p' | grep -q '^ Stream - ' ||
	fail "the Stream pane does not start on line 24: $(screen | sed -n '24p')"
wait_screen 10 "^[0-9:.]+ +$id created +1 "
screen | sed -n '40p' | grep -qE ' : \? q *$' ||
	fail "no status line on line 40: $(screen | sed -n '40p')"
# Tab moves the keys to the Stream and back.
keys Tab
wait_screen 5 'Enter detail  / filter'
keys Tab
wait_screen 5 'Enter edit  n new'

# 160 columns: beside the list, with the narrow columns of 80.
tmux_cmd resize-window -t console -x 160 -y 30
wait_screen 5 '^ Stores - 1 store +\| Stream - following'
wait_screen 5 "\| *[0-9:]+ +$id new +1 "
# Ctrl-W hides it, and shows it again.
keys C-w
wait_no_screen 5 'Stream - following'
keys C-w
wait_screen 5 'Stream - following'
# On a screen without the pane Ctrl-W still toggles it, and says it is
# for Stores and the Editor (not that it shares this screen).
keys :
type_text services
keys Enter
wait_screen 5 '^ Services - '
keys C-w
wait_screen 5 '^ the Stream pane is hidden on Stores and the Editor'
keys Escape
wait_screen 5 '^ Stores - '
wait_no_screen 5 'Stream - following'
keys :
type_text services
keys Enter
wait_screen 5 '^ Services - '
keys C-w
wait_screen 5 '^ the Stream shares the screen on Stores and the Editor'
keys Escape
wait_screen 5 'Stream - following'

# q quits even from the message.
tmux_cmd resize-window -t console -x 50 -y 10
wait_screen 5 'Terminal too small: 50x10'
tmux_cmd resize-window -t console -x 80 -y 24
wait_screen 5 '^ Stores - '
tmux_cmd resize-window -t console -x 70 -y 20
wait_screen 5 'Terminal too small: 70x20'
keys q
console_quit_check
log "ok"
