#!/usr/bin/env bash
# storectl demo without --headless plays inside the console: it opens on
# the Stream, a caption box shows the script's title, each caption and
# the step that runs while the Stream shows the stack reacting; at the end
# the box holds the result until q, and the shell gets the summary line;
# a failure shows why, whole.
# q in the middle interrupts the run: what the script stopped starts
# again, the stack (not the demo's) keeps running, the exit status is 1,
# and storectl status shows it whole in aligned columns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
"$S" up --detach --state "$STATE" >"$T/up.log" 2>&1 || fail "up --detach: $(cat "$T/up.log")"
stopped_of() { jq -r --arg n "$1" '.processes[] | select(.name == $n) | .stopped' "$STATE/stack.json"; }

cat >"$T/tiny.demo" <<'SCRIPT'
caption First: a new store reaches every service
create $s owner=owner-1 name="캡션 가게" category=snack phone=02-555-0100 status=open area=mapo
wait propagated $s within 20
caption Second: search-svc stops while the owner edits, then catches up
stop search
edit $s name="캡션 가게 둘"
start search
wait propagated $s within 30
expect search "캡션 가게 둘" contains $s
SCRIPT
"$S" demo --check "$T/tiny.demo" >/dev/null || fail "the test's script does not parse"

# Captions held 0.8 s instead of 2.5: the test waits for them anyway.
console_start_line "STORECTL_DEMO_CAPTION_MS=800 $S demo $T/tiny.demo --state $STATE"
wait_screen 10 '^ Stream - '
wait_screen 10 "^ Demo: $T/tiny.demo - step [0-9]+ of 9$"
wait_screen 15 '^ First: a new store reaches every service$'
wait_screen 20 '^ +[0-9.]+ s  L3  wait propagated [0-9]+ within 20  '
wait_screen 30 '^ Second: search-svc stops while the owner edits, then catches up$'
# The Stream shows the edit made while search-svc was down, and the
# services' reactions to it.
wait_screen 30 '^[0-9:]+ +[0-9]+ upd +2 name +'
wait_screen 30 '^[0-9:]+ +[0-9]+ upd +2 name +ok '
wait_screen 40 '^ Demo ok: 9 steps, 1 expectation held, in [0-9.]+ s$'
wait_screen 5 "^ Demo: $T/tiny.demo - done$"
wait_screen 5 '^ the demo is over: look around, q quits'
# It stays open until q.
sleep 1
screen | grep -q '^EXIT=' && fail "the console closed by itself"
# Looking around: a query that fills the Query screen's page says it may
# not be all (240 demo stores have 점 in their names).
keys :
type_text query
keys Enter
wait_screen 5 '^ Query - GET /shops'
keys Down
type_text 점
keys Enter
wait_screen 10 '^ the first 50 stores in '
keys Tab Escape
wait_screen 5 '^ Stream - '
keys q
console_quit_check
wait_screen 5 '^demo: ok: 9 steps, 1 expectation held, in [0-9.]+ s$'

# A failed expectation: why it failed is in the box whole (the step is
# named by its line), not cut after the step's own long text.
cat >"$T/fail.demo" <<'SCRIPT'
create $s owner=owner-1 name="실패 가게" category=snack
expect store $s name = "a name long enough that the step and its reason do not fit on one line"
SCRIPT
console_start_line "STORECTL_DEMO_CAPTION_MS=300 $S demo $T/fail.demo --state $STATE"
wait_screen 20 '^ Demo FAILED at line 2 \(2 of 2 steps ran\); look around, q quits$'
wait_screen 5 '^ L2: store [0-9]+ v1: name is "실패 가게", expected "a name long enough'
wait_screen 5 'fit on one line"$'
keys q
console_quit_check 1

# q in the middle: interrupted, search-svc started again, the stack runs.
printf 'caption A long wait\nstop search\npause 60\n' >"$T/long.demo"
console_start_line "STORECTL_DEMO_CAPTION_MS=300 $S demo $T/long.demo --state $STATE"
wait_screen 15 '^ +[0-9.]+ s  L3  pause 60  '
[ "$(stopped_of search)" = true ] || fail "the demo did not stop search-svc"
start=$SECONDS
keys q
console_quit_check 1
[ $((SECONDS - start)) -le 20 ] || fail "quitting the demo took $((SECONDS - start))s"
wait_screen 5 '^demo: interrupted at line 3 after [0-9.]+ s$'
[ "$(stopped_of search)" = null ] || fail "search-svc was left stopped after q"
"$S" status --state "$STATE" >"$T/status.out" || fail "the stack is not whole after the interrupted demo"
# status's table stays in columns with the longest name (favorites).
grep -q '^favorites http://' "$T/status.out" || fail "status: favorites is not in its column: $(cat "$T/status.out")"
[ "$(awk '/^(NAME|broker|store|search|ads|favorites|reviews|display) / { print index($0, $2) }' "$T/status.out" | sort -u | wc -l)" = 1 ] ||
	fail "status: the ADDRESS column is not aligned: $(cat "$T/status.out")"
log "ok"
