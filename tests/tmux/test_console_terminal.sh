#!/usr/bin/env bash
# The console refuses terminals it cannot draw on, with a one-line reason
# and status 1, and leaves the terminal as it was: a terminal type that
# cannot move the cursor, an unknown one, and no terminal at all; and a
# service URL without http:// (status 2, naming the option).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

args="--store-api http://127.0.0.1:1 --brokers 127.0.0.1:1"

console_start_line "TERM=dumb $BIN/storectl $args"
wait_screen 5 '^storectl: terminal type "dumb" cannot move the cursor'
console_quit_check 1
console_stop

console_start_line "TERM=no-such-terminal $BIN/storectl $args"
wait_screen 5 '^storectl: cannot use terminal type "no-such-terminal"'
console_quit_check 1
console_stop

console_start_line "$BIN/storectl $args </dev/null"
wait_screen 5 '^storectl: the console needs a terminal'
console_quit_check 1
console_stop

# A URL without its scheme is named at once, status 2, terminal untouched.
console_start_line "$BIN/storectl --store-api 127.0.0.1:1 --brokers 127.0.0.1:1"
wait_screen 5 '^storectl: --store-api: "127.0.0.1:1" is not an http:// or https:// URL$'
console_quit_check 2
console_stop
console_start_line "$BIN/storectl $args --display-api localhost:8080"
wait_screen 5 '^storectl: --display-api: "localhost:8080" is not an http:// or https:// URL$'
console_quit_check 2
log "ok"
