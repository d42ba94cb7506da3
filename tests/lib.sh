# Shared helpers for the shell tests (integration and tmux). Source it.
#
# Every test runs in its own temporary directory ($T) with processes on
# ephemeral ports, so two runs never collide. Everything started through
# start_* is stopped on exit; on failure the tail of every log is printed.
#
#   start_broker      sets BROKERS (bootstrap address) and BROKER_CONTROL
#                     (base URL of its fault-injection API, storectl-broker(8))
#   start_store [ARGS...]  sets STORE_URL (needs BROKERS); ARGS go to
#                     store-svc. It runs with a tokens file ($T/tokens.json,
#                     random tokens, made once per test) and exports
#                     OWNER1_TOKEN (owner-1), OWNER2_TOKEN (owner-2),
#                     OPERATOR_TOKEN and SERVICE_TOKEN. API_TOKEN (for api)
#                     and STORECTL_TOKEN (read by the console and storectl)
#                     default to the operator's. STORE_AUTH=open starts it
#                     without tokens instead (open mode).
#   start_search      sets SEARCH_URL (needs BROKERS, STORE_URL); passes
#                     --token "$SERVICE_TOKEN" when there is one
#   writer_auth       sets the array WRITER_AUTH to what ads-svc,
#                     favorites-svc and reviews-svc start with: --tokens
#                     $T/tokens.json (store-svc's), or --insecure-open
#                     under STORE_AUTH=open
#   wait_until SECS CMD...   polls CMD every 0.1 s; fails the test on timeout
#   fail MSG          fails the test with MSG
#   at_exit CMD       runs CMD (a string, through eval) when the test ends
#   api METHOD URL [JSON] [curl args...]  sets STATUS and BODY (call it
#                     directly, not in $(...), or they are lost); sends
#                     Authorization: Bearer $API_TOKEN when API_TOKEN is set

set -euo pipefail

BIN=$(cd "${BIN:-bin}" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/storectl-test.XXXXXX")
# Consumer settings for the embedded broker (KAFKA-NOTES.md): it answers an
# idle fetch only after fetch.wait.max.ms, and rebalances take the session
# timeout. Producers do not take them.
KAFKA_X=(-X fetch.wait.max.ms=5 -X session.timeout.ms=6000)
declare -A PID_OF=()
AT_EXIT=()
TEST_NAME=$(basename "$0" .sh)

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

fail() {
	log "FAIL: $*"
	exit 1
}

at_exit() { AT_EXIT+=("$1"); }

# alive PID: the process runs (a zombie waiting to be reaped does not).
alive() {
	local stat
	stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ "${stat:0:1}" != Z ]
}

# _stop NAME...: SIGTERM, then up to 15 s to exit. A process that does not
# stop is killed and fails the test: a service must stop on SIGTERM, even
# with its broker gone.
_stop() {
	local name pid deadline
	for name in "$@"; do
		kill -TERM "${PID_OF[$name]}" 2>/dev/null || true
	done
	deadline=$((SECONDS + 15))
	for name in "$@"; do
		pid=${PID_OF[$name]}
		while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
			sleep 0.1
		done
		if alive "$pid"; then
			log "FAIL: $name (pid $pid) did not stop within 15 s of SIGTERM"
			kill -KILL "$pid" 2>/dev/null || true
			_stuck=1
		fi
		wait "$pid" 2>/dev/null || true
	done
}

_cleanup() {
	local rc=$?
	local name cmd
	local -a first=()
	_stuck=0
	for cmd in "${AT_EXIT[@]}"; do
		eval "$cmd" || true
	done
	# Services first, the broker last, as 'storectl down' does.
	for name in "${!PID_OF[@]}"; do
		[ "$name" = broker ] || first+=("$name")
	done
	[ "${#first[@]}" -eq 0 ] || _stop "${first[@]}"
	[ -z "${PID_OF[broker]:-}" ] || _stop broker
	[ "$_stuck" -eq 0 ] || [ "$rc" -ne 0 ] || rc=1
	# No token may ever reach a log.
	for cmd in ${OWNER1_TOKEN:-} ${OWNER2_TOKEN:-} ${OPERATOR_TOKEN:-} ${SERVICE_TOKEN:-}; do
		if grep -lF -- "$cmd" "$T"/*.log >/dev/null 2>&1; then
			log "FAIL: a bearer token appears in $(grep -lF -- "$cmd" "$T"/*.log | xargs -n1 basename | tr '\n' ' ')"
			rc=1
		fi
	done
	if [ "$rc" -ne 0 ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			printf '%s\n' "--- last lines of $(basename "$f")" >&2
			tail -n 15 "$f" >&2
		done
	fi
	rm -rf "$T"
	exit "$rc"
}
trap _cleanup EXIT

# No client call may hang a test: curl reads this file for every call, in
# subshells too; kcat gets a time limit of its own.
export CURL_HOME="$T"
printf 'max-time = 20\nconnect-timeout = 5\n' >"$T/.curlrc"
kcat() { timeout 30 kcat "$@"; }

# jq_any [jq options] FILTER: true when FILTER outputs anything for the
# stream of JSON documents on stdin. Not "jq -e": jq 1.6 (Debian 12) sets
# its status from the last document alone, so a match followed by any
# other record reads as no match.
jq_any() {
	local out
	out=$(jq -c "$@") && [ -n "$out" ]
}
trap 'exit 130' INT TERM
# A command failing under set -e says where, instead of ending the test silently.
set -E
# (Only under set -e: a test that turns it off expects failures.)
trap '[[ $- != *e* ]] || log "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: \"$BASH_COMMAND\" exited with status $?"' ERR

wait_until() {
	local secs=$1
	shift
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${secs}s waiting for: $*"
		sleep 0.1
	done
}

# start_proc NAME CMD...: runs CMD in the background logging to $T/NAME.log
# and waits for its ready line; prints the address it logged.
start_proc() {
	local name=$1
	shift
	# A restarted process must not be taken as ready on its predecessor's line.
	rm -f "$T/$name.log"
	"$@" >"$T/$name.log" 2>&1 &
	PID_OF[$name]=$!
	local deadline=$((SECONDS + 15))
	while ! grep -qs 'listening on ' "$T/$name.log"; do
		kill -0 "${PID_OF[$name]}" 2>/dev/null || fail "$name exited before it was ready"
		[ "$SECONDS" -lt "$deadline" ] || fail "$name not ready after 15s"
		sleep 0.05
	done
	grep -o 'listening on [^ ]*' "$T/$name.log" | head -n 1 | cut -d' ' -f3
}

stop_proc() {
	local name=$1 sig=${2:-TERM}
	kill "-$sig" "${PID_OF[$name]}" 2>/dev/null || true
	wait "${PID_OF[$name]}" 2>/dev/null || true
	unset "PID_OF[$name]"
}

start_broker() {
	start_proc broker "$BIN/storectl-broker" --control 127.0.0.1:0 >"$T/broker.addr"
	BROKERS=$(cat "$T/broker.addr")
	BROKER_CONTROL=$(grep -o 'control on [^ ]*' "$T/broker.log" | head -n 1 | cut -d' ' -f3)
}

# A random bearer token: 32 characters of base64url.
new_token() { head -c 24 /dev/urandom | base64 | tr '+/' '-_'; }

# Writes $T/tokens.json once per test, so a restarted store-svc keeps them.
make_tokens() {
	[ -f "$T/tokens.json" ] && return 0
	OWNER1_TOKEN=$(new_token)
	OWNER2_TOKEN=$(new_token)
	OPERATOR_TOKEN=$(new_token)
	SERVICE_TOKEN=$(new_token)
	export OWNER1_TOKEN OWNER2_TOKEN OPERATOR_TOKEN SERVICE_TOKEN
	(
		umask 077
		jq -n --arg o1 "$OWNER1_TOKEN" --arg o2 "$OWNER2_TOKEN" \
			--arg op "$OPERATOR_TOKEN" --arg sv "$SERVICE_TOKEN" \
			'{tokens: [{token: $o1, role: "owner", owner: "owner-1"},
				   {token: $o2, role: "owner", owner: "owner-2"},
				   {token: $op, role: "operator"},
				   {token: $sv, role: "service"}]}' >"$T/tokens.json"
	)
}

writer_auth() {
	if [ "${STORE_AUTH:-}" = open ]; then
		WRITER_AUTH=(--insecure-open)
	else
		make_tokens
		WRITER_AUTH=(--tokens "$T/tokens.json")
	fi
}

start_store() {
	local auth=(--insecure-open)
	if [ "${STORE_AUTH:-}" != open ]; then
		make_tokens
		auth=(--tokens "$T/tokens.json")
		# Tests and the console that predate tokens act as the operator.
		: "${API_TOKEN=$OPERATOR_TOKEN}"
		export STORECTL_TOKEN=${STORECTL_TOKEN:-$OPERATOR_TOKEN}
	fi
	start_proc store "$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/store.db" \
		--brokers "$BROKERS" "${auth[@]}" "$@" >"$T/store.addr"
	STORE_URL=$(cat "$T/store.addr")
}

start_search() {
	local auth=()
	[ -z "${SERVICE_TOKEN:-}" ] || auth=(--token "$SERVICE_TOKEN")
	start_proc search "$BIN/search-svc" --listen 127.0.0.1:0 --db "$T/search.db" \
		--brokers "$BROKERS" --store-api "$STORE_URL" "${auth[@]}" "${KAFKA_X[@]}" \
		>"$T/search.addr"
	SEARCH_URL=$(cat "$T/search.addr")
}

api() {
	local method=$1 url=$2 body=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=(-sS -o "$T/api.body" -w '%{http_code}' -X "$method" "$@")
	if [ -n "${API_TOKEN:-}" ]; then
		# From a file, so the token is not on a command line.
		printf 'Authorization: Bearer %s\n' "$API_TOKEN" >"$T/api.auth"
		args+=(-H "@$T/api.auth")
	fi
	if [ -n "$body" ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$body")
	fi
	STATUS=$(curl "${args[@]}" "$url")
	BODY=$(cat "$T/api.body")
}
