#!/usr/bin/env bash
# The terminal comes back on every way out: Ctrl-C and SIGTERM quit cleanly
# (status 0), SIGHUP too (the ssh session went away), and a crash (SIGSEGV)
# still restores the terminal before the process dies of the signal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

# No stack is needed: the console runs without one.
args=(--store-api http://127.0.0.1:1 --brokers 127.0.0.1:1)

# start_and SIGNAL: starts the console, waits for its screen, then sends
# SIGNAL to it (C-c: the key, through the terminal).
start_and() {
	console_start "${args[@]}"
	wait_screen 10 '^ Stores - '
	if [ "$1" = C-c ]; then
		keys C-c
	else
		local pid
		pid=$(console_pid) || fail "no console process"
		kill "-$1" "$pid"
	fi
}

start_and C-c
console_quit_check 0
console_stop

start_and TERM
console_quit_check 0
console_stop

start_and HUP
console_quit_check 0
console_stop

# Killed by SIGSEGV: the shell reports 128 + 11.
start_and SEGV
console_quit_check 139
log "ok"
