#!/usr/bin/env bash
# storectl up --detach / status / down on one state directory: the stack
# comes up with demo data and its bearer tokens (never shown anywhere),
# search-svc converges, a second up reuses the databases and tokens without
# reseeding, down leaves nothing running, and a 'storectl up' killed with
# SIGKILL takes its children with it.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
stack_pids() { jq -r '.processes[].pid' "$STATE/stack.json"; }
# Exited children of a detached stack wait as zombies until init reaps them.
# One ps: with two, a process reaped between them would count as running.
running() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [ -n "$st" ] && [ "${st:0:1}" != Z ]; }
none_alive() { for p in "$@"; do running "$p" && return 1; done; return 0; }

"$S" status --state "$STATE" >/dev/null 2>&1 && fail "status succeeded with no stack"
[ "$("$S" status --state "$STATE" >/dev/null 2>&1; echo $?)" = 3 ] || fail "status without a stack should exit 3"

"$S" up --detach --state "$STATE" >"$T/up1.log" 2>&1 || fail "up --detach failed: $(cat "$T/up1.log")"
grep -Eq 'seeded 240 demo stores, [0-9]+ ad campaigns, [0-9]+ reviews, [0-9]+ favorites' "$T/up1.log" ||
	fail "first up did not seed: $(cat "$T/up1.log")"
"$S" status --state "$STATE" >/dev/null || fail "status after up"
"$S" status --json --state "$STATE" >"$T/status.json" || fail "status --json"
STORE_URL=$(jq -er .services.store "$T/status.json") || fail "no store URL"
SEARCH_URL=$(jq -er .services.search "$T/status.json") || fail "no search URL"
jq -er .broker "$T/status.json" | grep -Eq '^127\.0\.0\.1:[0-9]+$' || fail "broker address"
[ "$(jq -r .state "$T/status.json")" = "$(cd "$STATE" && pwd)" ] || fail "state path"

# Tokens: a 0600 file in the state directory, in store-svc's format, one
# operator, one service and one per demo owner; store-svc enforces them,
# the services read with the service token from their environment, and no
# token shows in a log, a command line, stack.json or the output.
TOKENS=$(jq -er .tokens_file "$T/status.json") || fail "status --json has no tokens_file"
[ "$TOKENS" = "$(cd "$STATE" && pwd)/tokens.json" ] || fail "tokens_file is $TOKENS"
[ "$(stat -c %a "$TOKENS")" = 600 ] || fail "tokens.json mode $(stat -c %a "$TOKENS")"
[ "$(jq '[.tokens[].role] | sort == (["operator","service"] + [range(8) | "owner"] | sort)' "$TOKENS")" = true ] ||
	fail "tokens.json roles: $(jq -c '[.tokens[].role]' "$TOKENS")"
[ "$(jq -r '[.tokens[] | select(.role == "owner") | .owner] | sort | join(",")' "$TOKENS")" = \
	owner-1,owner-2,owner-3,owner-4,owner-5,owner-6,owner-7,owner-8 ] || fail "owner tokens"
token_of() { jq -r --arg r "$1" --arg o "${2:-}" '.tokens[] | select(.role == $r and ($o == "" or .owner == $o)) | .token' "$TOKENS"; }
API_TOKEN=$(token_of operator)
[ "$(curl -s -o /dev/null -w '%{http_code}' "$STORE_URL/stores/1")" = 401 ] || fail "store-svc answers without a token"
curl -sf "$STORE_URL/health" | jq -e '.auth == "enforced"' >/dev/null || fail "store-svc auth is not enforced"
grep -q -- "--tokens $TOKENS" <(tr '\0' ' ' <"/proc/$(jq -r '.processes[] | select(.name == "store") | .pid' "$STATE/stack.json")/cmdline") ||
	fail "store-svc was not given --tokens"
[ "$(tr '\0' '\n' <"/proc/$(jq -r '.processes[] | select(.name == "search") | .pid' "$STATE/stack.json")/environ" |
	sed -n 's/^STORECTL_TOKEN=//p')" = "$(token_of service)" ] || fail "search-svc does not have the service token"
for tok in $(jq -r '.tokens[].token' "$TOKENS"); do
	! grep -rqF "$tok" "$STATE/logs" "$STATE/stack.json" "$T/up1.log" "$T/status.json" ||
		fail "a token shows in a log, stack.json or the output"
	# The token goes to awk by environment, so awk's own argv lacks it.
	[ -z "$(ps -eo args | TOK=$tok awk 'index($0, ENVIRON["TOK"])')" ] || fail "a token is on a command line"
done

api GET "$STORE_URL/stores?limit=1000"
[ "$STATUS" = 200 ] || fail "GET /stores: $STATUS"
[ "$(jq '.stores | length' <<<"$BODY")" = 240 ] || fail "expected 240 demo stores"
# The demo data is the same on every run: the first store is always this one.
[ "$(jq -r '.stores[0].name' <<<"$BODY")" = '라화쿵부 논현점' ] || fail "demo data changed: $(jq -r '.stores[0].name' <<<"$BODY")"
[ "$(jq '[.stores[].owner] | unique | length' <<<"$BODY")" = 8 ] || fail "expected 8 owners"
wait_until 20 bash -c "curl -sf '$SEARCH_URL/health' | jq -e '.held == 240'"
curl -sf "$SEARCH_URL/search?q=$(jq -rn '"라화쿵부 논현점"|@uri')" | jq -e '.ids == [1]' >/dev/null \
	|| fail "search-svc does not find 라화쿵부 논현점"

# The rest of the demo data: campaigns, reviews, favorites, the same
# every time (the counts the first up printed).
read -r campaigns reviews favorites < <(sed -n 's/.*, \([0-9]*\) ad campaigns, \([0-9]*\) reviews, \([0-9]*\) favorites.*/\1 \2 \3/p' "$T/up1.log")
[ "$(curl -sf "$(jq -r .services.ads "$T/status.json")/campaigns?limit=1000" | jq '.campaigns | length')" = "$campaigns" ] ||
	fail "ads-svc does not hold the $campaigns campaigns"
[ "$campaigns" -ge 24 ] && [ "$reviews" -ge 100 ] && [ "$favorites" -ge 60 ] || fail "too little demo data: $campaigns $reviews $favorites"
curl -sf "$(jq -r .services.favorites "$T/status.json")/users/user-1/favorites" | jq -e '.ids | length >= 3' >/dev/null ||
	fail "user-1 has no favorites"
curl -sf "$(jq -r .services.ads "$T/status.json")/ads?area=gangnam" | jq -e '.ids | length > 0' >/dev/null ||
	fail "no store advertises in gangnam"

"$S" up --detach --state "$STATE" >/dev/null 2>&1 && fail "second up on a running stack succeeded"
pids=$(stack_pids)
"$S" down --state "$STATE" >/dev/null || fail "down"
# shellcheck disable=SC2086
none_alive $pids || fail "processes left after down"
[ ! -e "$STATE/stack.json" ] || fail "stack.json left after down"
"$S" down --state "$STATE" | grep -q 'no stack running' || fail "second down"

cp "$TOKENS" "$T/tokens.before"
"$S" up --detach --state "$STATE" >"$T/up2.log" 2>&1 || fail "second up: $(cat "$T/up2.log")"
grep -q seeded "$T/up2.log" && fail "second up reseeded"
cmp -s "$TOKENS" "$T/tokens.before" || fail "a second up made new tokens"
STORE_URL=$("$S" status --json --state "$STATE" | jq -r .services.store)
api GET "$STORE_URL/stores?limit=1000"
[ "$(jq '.stores | length' <<<"$BODY")" = 240 ] || fail "stores after restart"
"$S" down --state "$STATE" >/dev/null || fail "down (2)"

# A 'storectl up' that dies takes its children with it (PR_SET_PDEATHSIG).
# It needs a terminal for the console: tmux gives it one.
TMUX_SOCK="storectl-test-$$"
at_exit 'tmux -L "$TMUX_SOCK" kill-server 2>/dev/null'
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	"'$S' up --state '$STATE' 2>'$T/up3.log'"
wait_until 20 test -e "$STATE/stack.json"
wait_until 5 bash -c "jq -e '.supervisor.pid' '$STATE/stack.json'"
sup=$(jq -r .supervisor.pid "$STATE/stack.json")
pids=$(stack_pids)
kill -9 "$sup"
deadline=$((SECONDS + 10))
# shellcheck disable=SC2086
until none_alive $pids; do
	[ "$SECONDS" -lt "$deadline" ] || fail "children outlived a killed 'storectl up'"
	sleep 0.1
done
[ "$("$S" status --state "$STATE" >/dev/null 2>&1; echo $?)" = 3 ] || fail "status after the crash should exit 3"
"$S" down --state "$STATE" | grep -q 'stale' || fail "down should clear the stale stack.json"
# No sanitizer report in any process's log.
! grep -E 'Sanitizer|runtime error:' "$STATE"/logs/*.log >&2 || fail "a sanitizer report in the stack's logs"
log "ok"
