#!/usr/bin/env bash
# Fault controls on the Services screen. Without the embedded stack the
# keys say they need 'storectl up'. Under 'storectl up': s stops the
# selected service (its process gone, stack.json says stopped, the row
# says so, and so does its detail, with the failed check's reason whole),
# S starts it again, K kills one after a y/N question (n changes
# nothing), f sets store-API latency and errors (store-svc reports them,
# and the screen shows them) and F clears them, b injects broker errors,
# bad input is refused by name with nothing changed (prompts and errors
# read whole at 80 columns); quitting stops the
# stack. Plain storectl on a detached stack has the same keys.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
running() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [ -n "$st" ] && [ "${st:0:1}" != Z ]; }
pid_of() { jq -r --arg n "$1" '.processes[] | select(.name == $n) | .pid' "$STATE/stack.json"; }
stopped_of() { jq -r --arg n "$1" '.processes[] | select(.name == $n) | .stopped' "$STATE/stack.json"; }
goto_services() {
	keys :
	type_text services
	keys Enter
	wait_screen 5 '^ Services - '
}

# No embedded stack: the keys say what they need, nothing else happens.
CONSOLE_ENV=NO_COLOR=1 console_start --store-api http://127.0.0.1:1 --brokers 127.0.0.1:1
wait_screen 10 '^ storectl \| api 127.0.0.1:1 UNREACHABLE'
goto_services
wait_screen 5 "fault controls need 'storectl up'"
keys s
wait_screen 5 "fault controls need the embedded stack: open the console with 'storectl up'"
keys q
console_quit_check

console_start up --state "$STATE"
wait_until 60 bash -c "[ -s '$STATE/stack.json' ] && jq -e '.starting != true' '$STATE/stack.json' >/dev/null"
API_TOKEN=$(jq -r '.tokens[] | select(.role == "operator") | .token' "$STATE/tokens.json")
STORE_URL=$(jq -r '.services.store' "$STATE/stack.json")
wait_screen 30 '^ Stores - '
# The longest area of the demo data fits its column at 80x24.
wait_screen 30 '^ Stores - [0-9]+ stores'
keys /
type_text yeongdeungpo
wait_screen 10 ' yeongdeungpo +(open|closed|paused) +[0-9]+$'
keys Escape
goto_services
wait_screen 15 '^search +ok '
wait_screen 10 '^ Faults: store API none$'
wait_screen 10 '^ Broker: up$'

# s: the selected service (search, below store) stops.
old=$(pid_of search)
keys j s
wait_screen 15 '^ search-svc stopped \(pid [0-9]+\)'
wait_screen 5 '^search +stopped '
running "$old" && fail "search-svc (pid $old) still runs after s"
[ "$(stopped_of search)" = true ] || fail "stack.json does not say search is stopped"
# s again: nothing to do, said so.
keys s
wait_screen 10 '^ search-svc is already stopped'
# Enter: the detail says the process is stopped and how it comes back,
# and the reason the health check failed whole (the table cuts it).
keys Enter
wait_screen 5 '^ search: the process is stopped \(S starts it again\)$'
wait_screen 10 "^ Couldn't connect to server"
screen | grep -q 'answered in .* no answer' && fail "the detail says answered and no answer at once"
keys Enter

# S: it starts again, the row turns ok.
keys S
wait_screen 20 '^ search-svc started at http://[^ ]+ \(pid [0-9]+\)'
new=$(pid_of search)
[ "$new" != "$old" ] || fail "same pid after S"
running "$new" || fail "search-svc does not run after S"
[ "$(stopped_of search)" = null ] || fail "stack.json still says search is stopped"
wait_screen 15 '^search +ok '

# K asks first: n keeps it running.
keys j K
wait_screen 5 'Kill ads with SIGKILL, as a crash\? \(y/N\)'
keys n
wait_screen 5 'nothing changed'
ads=$(pid_of ads)
running "$ads" || fail "ads-svc died though the kill was refused"
# y kills it: the process is gone, not marked stopped (a crash), dead.
keys K
wait_screen 5 'Kill ads with SIGKILL, as a crash\? \(y/N\)'
keys y
wait_screen 10 "^ ads-svc killed with SIGKILL \(pid $ads\)"
wait_screen 5 '^ads +dead '
running "$ads" && fail "ads-svc (pid $ads) still runs after K y"
[ "$(stopped_of ads)" = null ] || fail "a killed ads-svc is marked stopped"

# f: bad input is refused by name, then latency and errors are set.
keys f
# The prompt is read whole at 80 columns, example included.
wait_screen 5 'Store-API fault, latency ms \[error %\] \(e\.g\. 200 30%\):'
type_text "fast"
keys Enter
wait_screen 5 'latency: "fast" is not a number of ms from 0 to 30000; nothing changed'
keys f
type_text "150 20%"
keys Enter
wait_screen 10 'store-API faults set: latency 150 ms, 20% errors'
wait_screen 10 "^ Faults: store API latency 150 ms, 20% errors, the services' reads"
# Longer than the line: its end goes on the next one, not cut.
wait_until 5 bash -c "tmux -L '$TMUX_SOCK' -f /dev/null capture-pane -p -t console | grep -A1 '^ Faults: store API latency' | tail -n 1 | grep -q '^ cleared; struck [0-9]* delayed'"
api GET "$STORE_URL/ops/faults"
jq -e '.active == true and .latency_ms == 150 and .error_rate == 0.2' <<<"$BODY" >/dev/null ||
	fail "store-svc reports other faults: $BODY"
# F clears them.
keys F
wait_screen 10 'store-API faults cleared: none'
wait_screen 10 '^ Faults: store API none$'
api GET "$STORE_URL/ops/faults"
jq -e '.active == false' <<<"$BODY" >/dev/null || fail "faults still on after F: $BODY"

# Every read failing: an edit's reactions fail, and in the Event view the
# error in the reaction's JSON wraps under itself instead of being cut.
keys f
type_text "0 100%"
keys Enter
wait_screen 10 'store-API faults set: latency 0 ms, 100% errors'
api GET "$STORE_URL/stores/5"
ver=$(jq -r .version <<<"$BODY")
api PATCH "$STORE_URL/stores/5" '{"name":"고장 난 가게"}' -H "If-Match: \"$ver\""
[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
keys :
type_text 'stream store=5 failed'
keys Enter
# (or its creation, when the services were still reading the seed)
wait_screen 60 '^[0-9:]+ +5 (new|upd) .* FAIL'
keys G Enter
wait_screen 5 '^ Event - store 5 '
keys G
wait_screen 5 '\(POST /ops/faults\)",?$'
screen | sed -n '3,22p' | grep -q '~$' && fail "the Event view cuts a line: $(screen | grep '~$')"
keys Escape Escape
keys :
type_text services
keys Enter
wait_screen 5 '^ Services - '
keys F
wait_screen 10 'store-API faults cleared: none'

# b: broker errors, prefilled; an unknown API is refused by the broker.
keys b
wait_screen 5 'Broker errors, API CODE \[COUNT\]: Produce NOT_LEADER_FOR_PARTITION 5'
keys C-u
type_text "Produce NOPE"
keys Enter
# The broker's list of codes is longer than a line: it wraps, not cut.
wait_screen 10 'injecting broker errors: .*(422|400)'
wait_screen 5 '^ NOT_ENOUGH_REPLICAS|, NOT_ENOUGH_REPLICAS'
keys b C-u
type_text "Nope NOT_LEADER_FOR_PARTITION"
keys Enter
wait_screen 10 'injecting broker errors: .*(422|400)'
keys b Enter
wait_screen 10 'the next 5 Produce requests fail with NOT_LEADER_FOR_PARTITION'
wait_screen 10 '^ Broker: up; injected 5 x Produce NOT_LEADER_FOR_PARTITION at '

keys q
console_quit_check
wait_until 15 bash -c "[ ! -e '$STATE/stack.json' ]"
running "$new" && fail "search-svc (pid $new) outlived the console's stack"

# Plain storectl on a detached stack has the controls too; quitting it
# leaves the stack running.
"$S" up --detach --state "$STATE" >"$T/up.out" 2>&1 || fail "up --detach: $(cat "$T/up.out")"
console_start --state "$STATE"
wait_screen 30 '^ Stores - '
goto_services
wait_screen 15 '^search +ok '
old=$(pid_of search)
keys j s
wait_screen 15 '^ search-svc stopped \(pid [0-9]+\)'
running "$old" && fail "search-svc (pid $old) still runs after s in plain storectl"
keys S
wait_screen 20 '^ search-svc started at http://[^ ]+ \(pid [0-9]+\)'
keys q
console_quit_check
running "$(pid_of search)" || fail "quitting plain storectl stopped the stack"
"$S" down --state "$STATE" >/dev/null || fail "storectl down failed"
log "ok"
