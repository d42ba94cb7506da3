#!/usr/bin/env bash
# storectl service stop|start|kill NAME on a running stack: a stopped
# service is marked so in stack.json and status, comes back from its
# recorded command line on its old address with its database, and catches
# up; a killed one shows as dead and comes back the same way; a taken port
# makes it move, and stack.json says where; 'down', and a console's 'up'
# when it quits, stop the restarted processes too.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
# One ps: with two, a process reaped between them would count as running.
running() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [ -n "$st" ] && [ "${st:0:1}" != Z ]; }
pid_of() { jq -r --arg n "$1" '.processes[] | select(.name == $n) | .pid' "$STATE/stack.json"; }
# Everything a command prints, whatever its exit status (for grep).
say() { "$@" 2>&1 || true; }
url_of() { jq -r --arg n "$1" '.services[$n]' "$STATE/stack.json"; }

"$S" up --detach --state "$STATE" >"$T/up.log" 2>&1 || fail "up --detach: $(cat "$T/up.log")"
STORE_URL=$(url_of store)
SEARCH_URL=$(url_of search)
API_TOKEN=$(jq -r '.tokens[] | select(.role == "operator") | .token' "$STATE/tokens.json")
SERVICE_TOKEN=$(jq -r '.tokens[] | select(.role == "service") | .token' "$STATE/tokens.json")
# A downstream service reads with the stack's service token, from its
# environment (never its command line).
svc_token() { tr '\0' '\n' <"/proc/$(pid_of "$1")/environ" | sed -n 's/^STORECTL_TOKEN=//p'; }
found() { curl -sf --get --data-urlencode "q=$1" "$SEARCH_URL/search" | jq -e --argjson id "$2" '.ids | index($id) != null'; }
wait_until 20 bash -c "curl -sf '$SEARCH_URL/health' | jq -e '.held == 240'"

# stop: marked stopped, status says so and fails.
old=$(pid_of search)
"$S" service stop search --state "$STATE" >"$T/stop.out" || fail "service stop"
grep -q "^search-svc stopped (pid $old)$" "$T/stop.out" || fail "stop said: $(cat "$T/stop.out")"
running "$old" && fail "search-svc still runs after stop"
[ "$(jq -r '.processes[] | select(.name == "search") | .stopped' "$STATE/stack.json")" = true ] || fail "not marked stopped"
set +e
"$S" status --state "$STATE" >"$T/status.out" 2>"$T/status.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "status with a stopped service exited $rc"
grep -Eq '^search +http://[^ ]+ +[0-9]+ +stopped ' "$T/status.out" || fail "status: $(cat "$T/status.out")"
grep -q "search-svc was stopped ('storectl service start search' starts it again)" "$T/status.err" ||
	fail "status reason: $(cat "$T/status.err")"
"$S" service stop search --state "$STATE" | grep -q 'already stopped' || fail "second stop"

# An edit while it is down; start: same address, new pid, catches up.
api GET "$STORE_URL/stores/1"
v=$(jq -r .version <<<"$BODY")
api PATCH "$STORE_URL/stores/1" '{"name":"서비스 정지 중 수정"}' -H "If-Match: \"$v\""
[ "$STATUS" = 200 ] || fail "edit: $STATUS $BODY"
"$S" service start search --state "$STATE" >"$T/start.out" || fail "service start"
new=$(pid_of search)
[ "$new" != "$old" ] || fail "same pid after start"
running "$new" || fail "search-svc does not run after start"
grep -q "^search-svc started at $SEARCH_URL (pid $new)$" "$T/start.out" || fail "start said: $(cat "$T/start.out")"
[ "$(url_of search)" = "$SEARCH_URL" ] || fail "search-svc moved to $(url_of search)"
[ "$(jq -r '.processes[] | select(.name == "search") | .stopped' "$STATE/stack.json")" = null ] || fail "still marked stopped"
wait_until 20 found "서비스 정지 중" 1
curl -sf "$SEARCH_URL/health" | jq -e '.held == 240' >/dev/null || fail "search-svc lost its database"
[ "$(svc_token search)" = "$SERVICE_TOKEN" ] || fail "a restarted search-svc lacks the service token"
"$S" service start search --state "$STATE" | grep -q 'already running' || fail "second start"
"$S" status --state "$STATE" >/dev/null || fail "status after start"

# kill: SIGKILL, shows as dead (not stopped), comes back.
"$S" service kill search --state "$STATE" | grep -q "^search-svc killed with SIGKILL (pid $new)$" || fail "kill"
running "$new" && fail "search-svc survived kill"
{ "$S" status --state "$STATE" 2>/dev/null || true; } | grep -Eq '^search .* dead ' || fail "a killed service is not dead in status"
"$S" service kill search --state "$STATE" 2>"$T/kill.err" && fail "killing a dead service succeeded"
grep -q 'search-svc is not running' "$T/kill.err" || fail "kill of a dead service: $(cat "$T/kill.err")"
"$S" service start search --state "$STATE" >/dev/null || fail "start after kill"
[ "$(url_of search)" = "$SEARCH_URL" ] || fail "search-svc moved after kill"

# A taken port: it moves, and stack.json says where.
"$S" service stop search --state "$STATE" >/dev/null
port=${SEARCH_URL##*:}
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close(); time.sleep(60)' "$port" "$T/squatting" &
squatter=$!
at_exit "kill $squatter 2>/dev/null"
wait_until 5 test -e "$T/squatting"
"$S" service start search --state "$STATE" >"$T/moved.out" || fail "start on a taken port"
kill "$squatter"
moved=$(url_of search)
[ "$moved" != "$SEARCH_URL" ] || fail "search-svc claims the taken port"
curl -sf "$moved/health" >/dev/null || fail "search-svc does not answer at $moved"
grep -q "started at $moved" "$T/moved.out" || fail "start said: $(cat "$T/moved.out")"

# store-svc comes back on its address, so the services still reach it.
"$S" service stop store --state "$STATE" >/dev/null || fail "stop store"
"$S" service start store --state "$STATE" >/dev/null || fail "start store"
[ "$(url_of store)" = "$STORE_URL" ] || fail "store-svc moved"
api GET "$STORE_URL/stores/1"
[ "$STATUS" = 200 ] || fail "store-svc lost its database: $STATUS"

# Bad names and the broker are refused.
say "$S" service stop broker --state "$STATE" | grep -q 'cannot be stopped on its own' || fail "broker"
say "$S" service stop nosuch --state "$STATE" | grep -q 'no service called "nosuch"' || fail "unknown service"
[ "$("$S" service halt search --state "$STATE" >/dev/null 2>&1; echo $?)" = 2 ] || fail "unknown action"
[ "$("$S" service stop --state "$STATE" >/dev/null 2>&1; echo $?)" = 2 ] || fail "missing name"

# down stops the restarted processes as well.
pids=$(jq -r '.processes[].pid' "$STATE/stack.json")
"$S" down --state "$STATE" >/dev/null || fail "down"
for p in $pids; do running "$p" && fail "pid $p runs after down"; done
say "$S" service start search --state "$STATE" | grep -q 'no stack running' || fail "start without a stack"

# A console's 'up' stops, when it quits, what was restarted meanwhile.
TMUX_SOCK="storectl-svc-test-$$"
at_exit 'tmux -L "$TMUX_SOCK" kill-server 2>/dev/null'
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
	"'$S' up --state '$STATE' 2>'$T/up2.log'"
wait_until 20 bash -c "jq -e '.supervisor.pid and (.starting | not)' '$STATE/stack.json'"
sup=$(jq -r .supervisor.pid "$STATE/stack.json")
"$S" service stop search --state "$STATE" >/dev/null || fail "stop under a console"
"$S" service start search --state "$STATE" >/dev/null || fail "start under a console"
pids=$(jq -r '.processes[].pid' "$STATE/stack.json")
kill -TERM "$sup"
deadline=$((SECONDS + 15))
for p in $pids; do
	while running "$p"; do
		[ "$SECONDS" -lt "$deadline" ] || fail "pid $p outlived the console's 'up'"
		sleep 0.1
	done
done
# No sanitizer report in any process's log.
! grep -E 'Sanitizer|runtime error:' "$STATE"/logs/*.log >&2 || fail "a sanitizer report in the stack's logs"
log "ok"
