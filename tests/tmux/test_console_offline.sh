#!/usr/bin/env bash
# The console never waits on the network: with nothing listening it says
# the API is unreachable and Kafka is connecting, keys still work and q
# quits at once; with a store API that accepts connections but never
# answers (a stopped process), it shows "loading...", keys still work, and
# quitting does not wait for the call; a list kept from before a failed
# refresh says it is not up to date. Also: NO_COLOR and a monochrome
# terminal mean no colors, only attributes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

# Nothing on port 1 (connection refused at once).
CONSOLE_ENV=NO_COLOR=1 console_start --store-api http://127.0.0.1:1 --brokers 127.0.0.1:1
wait_screen 10 '^ storectl \| api 127.0.0.1:1 UNREACHABLE \| kafka 127.0.0.1:1 connecting'
wait_screen 5 '^r retries; store API unreachable'
# No color: only attributes (bold, reverse...), no foreground/background.
if tmux_cmd capture-pane -p -e -t console | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48|9[0-7])(;[0-9;]*)?m'; then
	fail "NO_COLOR is set but the screen has colors"
fi
tmux_cmd capture-pane -p -e -t console | grep -q $'\e\\[' ||
	fail "no attributes at all on the screen"
keys '?'
wait_screen 2 ' Keys \((j/k scroll, any other|any) key closes\)'
keys Escape
wait_no_screen 2 ' Keys \((j/k scroll, )?any'
start=$SECONDS
keys q
console_quit_check
[ $((SECONDS - start)) -le 3 ] || fail "quitting took $((SECONDS - start))s"
console_stop

# A monochrome terminal: the same, by its terminfo rather than NO_COLOR.
console_start_line "TERM=xterm-mono $BIN/storectl --store-api http://127.0.0.1:1 --brokers 127.0.0.1:1"
wait_screen 10 '^ storectl \| api 127.0.0.1:1 UNREACHABLE'
if tmux_cmd capture-pane -p -e -t console | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48|9[0-7])(;[0-9;]*)?m'; then
	fail "a monochrome terminal got colors"
fi
tmux_cmd capture-pane -p -e -t console | grep -q $'\e\\[' ||
	fail "no attributes at all on the monochrome screen"
keys q
console_quit_check
console_stop

# A store API that is there but hangs: the process is stopped.
start_broker
start_store
kill -STOP "${PID_OF[store]}"
console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 '^ Stores - loading\.\.\.'
wait_screen 10 '^ storectl \| .* kafka [^ ]+ live'
# Colors by default (the tmux terminal has them).
tmux_cmd capture-pane -p -e -t console | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7])(;[0-9;]*)?m' ||
	fail "no colors without NO_COLOR"
# Keys work while the API hangs: ':' to the Stream, its help, back.
keys :
type_text stream
keys Enter
wait_screen 2 '^ Stream - '
keys '?'
wait_screen 2 '^ +Stream$'
keys Escape
wait_no_screen 2 ' Keys \((j/k scroll, )?any'
keys Escape
wait_screen 2 '^ Stores - (loading\.\.\.|not loaded)'

start=$SECONDS
keys q
console_quit_check
[ $((SECONDS - start)) -le 3 ] || fail "quitting with a hung API took $((SECONDS - start))s"
kill -CONT "${PID_OF[store]}"
console_stop

# The list loaded, then the store API goes away: the rows kept are marked
# as not up to date; the Editor's reason is shown whole, wrapped.
console_start --store-api "$STORE_URL" --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 '^ Stores - 0 stores$'
stop_proc store
keys r
wait_screen 10 '^ Stores - 0 stores - NOT UP TO DATE: the refresh failed \(r retries\)'
keys :
type_text 'editor 1'
keys Enter
wait_screen 10 '^ store API unreachable: GET http://127\.0\.0\.1:[0-9]+/stores/1:'
wait_screen 5 '^ Ctrl-R reload   Esc back'
screen | sed -n '3,5p' | grep -q '~$' && fail "the Editor cuts its reason: $(screen | sed -n '3,5p')"
keys q
console_quit_check
log "ok"
