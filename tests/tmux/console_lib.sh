# Helpers for the console's tmux tests; source after tests/lib.sh.
#
# The console runs from a shell in a detached tmux session of its own
# (own socket, no config), so a test drives the real binary the way a user
# would and reads the screen with capture-pane.
#
#   console_start [ARGS...]  starts "storectl ARGS" in an 80x24 session; the
#                            pane prints EXIT=<status> when it ends and
#                            saves the tty modes before and after
#   console_start_line LINE  the same with a shell line of one's own
#   keys KEY...              tmux send-keys (names like Enter, C-s, Escape)
#   type_text TEXT           sends TEXT literally (UTF-8 included)
#   screen                   prints the screen as text
#   wait_screen SECS ERE     waits until a screen line matches ERE;
#                            fails with the screen shown on timeout
#   wait_no_screen SECS ERE  waits until no line matches ERE
#   console_stop             ends the session (the console gets SIGHUP)
#   console_pid              prints the pid of the running console
#   console_quit_check [STATUS]  waits for EXIT=STATUS (default 0) and
#                            checks the terminal came back as it was
#   screen_line ERE          prints the first screen line matching ERE
#   col_of TEXT NEEDLE       the terminal column (from 0) where NEEDLE
#                            starts in TEXT: Hangul takes two columns
#   same_column ERE1 A ERE2 B  fails unless A in the line matching ERE1
#                            and B in the line matching ERE2 start in the
#                            same terminal column (tables stay aligned)

# Each console_start gets a tmux server of its own: a new session on a
# server that is still shutting down fails now and then.
TMUX_N=0
TMUX_SOCK="storectl-test-$$-0"
# The sockets live in the test's directory, which lib.sh removes.
export TMUX_TMPDIR="$T"
tmux_cmd() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

_console_cleanup() {
	local n
	for n in $(seq 1 "$TMUX_N"); do
		tmux -L "storectl-test-$$-$n" kill-server 2>/dev/null || true
	done
}

at_exit _console_cleanup

# Ends the console's session (and with it the console, by SIGHUP).
console_stop() { tmux_cmd kill-server 2>/dev/null || true; }

console_start() {
	local cmd="$BIN/storectl"
	local a
	for a in "$@"; do
		cmd+=" $(printf '%q' "$a")"
	done
	console_start_line "$cmd"
}

# console_start_line LINE: as console_start, with LINE as the shell command
# (to set the environment or redirect, e.g. "TERM=dumb $BIN/storectl ...").
console_start_line() {
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK="storectl-test-$$-$TMUX_N"
	# The pane's command itself (no typing at a prompt that may not be
	# there yet); it stays open after the console is gone.
	tmux_cmd new-session -d -s console -x 80 -y 24 \
		-e LANG=C.UTF-8 -e "STORECTL_CONSOLE_LOG=$T/console.log" \
		${CONSOLE_ENV:+-e "$CONSOLE_ENV"} \
		"stty -g > $T/stty.before; $1; echo EXIT=\$?; stty -g > $T/stty.after; exec sleep 3600"
}

keys() { tmux_cmd send-keys -t console "$@"; }
type_text() { tmux_cmd send-keys -t console -l "$1"; }
screen() { tmux_cmd capture-pane -p -t console; }

wait_screen() {
	local secs=$1 re=$2
	local deadline=$((SECONDS + secs))
	until screen | grep -qE -- "$re"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			log "screen after ${secs}s:"
			screen | sed 's/^/| /' >&2
			fail "timed out after ${secs}s waiting for the screen to show /$re/"
		fi
		sleep 0.1
	done
}

wait_no_screen() {
	local secs=$1 re=$2
	local deadline=$((SECONDS + secs))
	while screen | grep -qE -- "$re"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			log "screen after ${secs}s:"
			screen | sed 's/^/| /' >&2
			fail "timed out after ${secs}s waiting for /$re/ to go away"
		fi
		sleep 0.1
	done
}

console_pid() {
	local shell_pid
	shell_pid=$(tmux_cmd display-message -p -t console '#{pane_pid}')
	pgrep -P "$shell_pid" -x storectl
}

console_quit_check() {
	local want=${1:-0}
	wait_screen 10 '^EXIT=[0-9]+'
	local status
	status=$(screen | sed -n 's/^EXIT=\([0-9]*\).*/\1/p' | tail -n 1)
	[ "$status" = "$want" ] || fail "the console exited with status $status, not $want"
	wait_until 5 test -s "$T/stty.after"
	cmp -s "$T/stty.before" "$T/stty.after" ||
		fail "terminal modes not restored: $(cat "$T/stty.before") -> $(cat "$T/stty.after")"
	# Out of the alternate screen, cursor visible: the shell's screen is back.
	[ "$(tmux_cmd display-message -p -t console '#{alternate_on}')" = 0 ] ||
		fail "the terminal is still on the alternate screen"
	[ "$(tmux_cmd display-message -p -t console '#{cursor_flag}')" = 1 ] ||
		fail "the cursor is still hidden"
}

screen_line() { screen | grep -m1 -E -- "$1" || true; }

col_of() {
	python3 -c '
import sys, unicodedata
text, needle = sys.argv[1], sys.argv[2]
i = text.find(needle)
print(-1 if i < 0 else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[:i]))
' "$1" "$2"
}

same_column() {
	local l1 l2 c1 c2
	l1=$(screen_line "$1")
	l2=$(screen_line "$3")
	c1=$(col_of "$l1" "$2")
	c2=$(col_of "$l2" "$4")
	[ "$c1" -ge 0 ] && [ "$c1" = "$c2" ] ||
		fail "misaligned: \"$2\" at column $c1 of: $l1 / \"$4\" at column $c2 of: $l2"
}
