#!/usr/bin/env bash
# Long text at 80x24 is read whole, not cut with '~': a status message
# wider than the line wraps onto the lines above it (the screen gives
# them up, and takes them back when a short message follows), the key
# help wraps an action's text under itself, and the help closes on any
# key, j included, when it all fits (its title says so).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

CONSOLE_ENV=NO_COLOR=1 console_start --store-api http://127.0.0.1:1 --brokers 127.0.0.1:1
wait_screen 10 '^ storectl \| api 127.0.0.1:1 UNREACHABLE'
keys :
type_text stream
keys Enter
wait_screen 5 '^ Stream - '

# A filter word it does not know: the whole reason, over three lines.
keys /
type_text bogus
keys Enter
wait_screen 5 '^ filter: "bogus"\? Filter by a store id'
wait_screen 5 '^ menu\.\.\.\)$'
screen | tail -n 3 | grep -q '~$' && fail "the status message is cut: $(screen | tail -n 3)"
# The screen above gave up the lines: its title is still on top.
wait_screen 5 '^ Stream - '
# A short message takes one line again.
keys Enter
wait_screen 5 '^ no event here yet '
wait_no_screen 5 '^ menu\.\.\.\)$'

# The help wraps a long action under itself, nothing cut.
keys '?'
wait_screen 5 '^   Keys \(j/k scroll, any other key closes\)'
wait_screen 5 'Enter +show the event: raw JSON, partition, offset,$'
wait_screen 5 '^ +reactions$'
screen | grep -q '~$' && fail "a help line is cut: $(screen | grep '~$')"
keys j
wait_screen 5 '^   Keys \(j/k scroll'
keys x
wait_no_screen 5 '^   Keys '

# Where it all fits, any key closes it, j too.
tmux_cmd resize-window -t console -x 120 -y 40
wait_screen 5 '^ Stream - '
keys '?'
wait_screen 5 '^ +Keys \(any key closes\)'
keys j
wait_no_screen 5 'Keys \(any key closes\)'

keys q
console_quit_check
log "ok"
