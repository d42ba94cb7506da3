#!/usr/bin/env bash
# make chaos: random edits, creates, deletes and menu items from several
# clients against a detached embedded stack, while services (store-svc
# included) are killed with SIGKILL and started again, the broker fails
# requests (storectl-broker's error injection), goes down for a moment now
# and then, and store-svc fails the services' reads. Then everything is
# made whole again and checked:
#
#   - every service's copy converged ('storectl audit', bounded wait);
#   - every version the store API holds (1..current for each store, the
#     deletion's version for a deleted one) has its event on store.events,
#     a deletion's event says "deleted", and no event names a version the
#     API never committed;
#   - no acknowledged write was lost: each acknowledged (id, version) is at
#     or below the store's current version, an acknowledged delete left
#     the store deleted at that version (a write whose answer was lost may
#     or may not have been committed: the event check above covers it);
#   - no process died other than by our SIGKILL, none hung (every wait is
#     bounded), 'storectl down' stops them all, no sanitizer report.
#
# It prints one block of counts and exits 0 when every check held, 1
# otherwise (2 on a bad command line). On failure the state directory is
# kept, with the stack's logs and the run's own records under chaos/.
#
#   scripts/chaos.sh [--secs N] [--clients N] [--seed N] [--state DIR] [--keep]
#
#   CHAOS_SECS=60       how long the chaos lasts (--secs)
#   CHAOS_CLIENTS=3     writing clients (--clients)
#   CHAOS_SEED=random   seeds every loop's choices (--seed); printed, so a
#                       run's sequence of choices can be repeated (timing,
#                       and so the outcome, cannot)
#   CHAOS_KILL_EVERY=3  mean seconds between two kills
#   CHAOS_FAULT_EVERY=1 mean seconds between two injected faults
#   CHAOS_BROKER_DOWN=1 0: never take the broker down, only fail requests
#   CHAOS_GROUP_ERRORS=0 1: also fail JoinGroup, SyncGroup, Heartbeat and
#                       FindCoordinator requests. Off by default: they can
#                       abort the embedded broker itself (librdkafka 2.0.2's
#                       mock cluster: "rd_kafka_mock_cgrp_member_add:
#                       Assertion `!member->resp' failed"), which loses
#                       every topic; a run that sees it reports a crash
#   CHAOS_CONVERGE=120  seconds allowed for convergence at the end
#   CHAOS_STATE=DIR     the stack's state directory (--state; must not
#                       exist or be empty; default a new one under /tmp)
#   CHAOS_KEEP=1        keep the state directory after a passing run too
#   BIN=DIR             where the binaries are (default bin)
#
# The embedded broker keeps each partition's last 5 MiB only: a run long
# enough to outgrow that (hours) would report the dropped events missing.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
usage() {
	sed -n 's/^#   scripts/scripts/p' "$0" >&2
	exit 2
}
SECS=${CHAOS_SECS:-60}
CLIENTS=${CHAOS_CLIENTS:-3}
SEED=${CHAOS_SEED:-$((RANDOM * 32768 + RANDOM))}
STATE=${CHAOS_STATE:-}
KEEP=${CHAOS_KEEP:-0}
KILL_EVERY=${CHAOS_KILL_EVERY:-3}
FAULT_EVERY=${CHAOS_FAULT_EVERY:-1}
BROKER_DOWN=${CHAOS_BROKER_DOWN:-1}
GROUP_ERRORS=${CHAOS_GROUP_ERRORS:-0}
CONVERGE=${CHAOS_CONVERGE:-120}
while [ $# -gt 0 ]; do
	case $1 in
	--secs) SECS=${2:-} && shift ;;
	--clients) CLIENTS=${2:-} && shift ;;
	--seed) SEED=${2:-} && shift ;;
	--state) STATE=${2:-} && shift ;;
	--keep) KEEP=1 ;;
	*) usage ;;
	esac
	shift
done
for knob in SECS CLIENTS SEED KILL_EVERY FAULT_EVERY CONVERGE; do
	case ${!knob} in
	'' | *[!0-9]*) echo "chaos: $knob must be a whole number, not \"${!knob}\"" >&2 && exit 2 ;;
	esac
done
[ "$CLIENTS" -ge 1 ] && [ "$CLIENTS" -le 32 ] || { echo "chaos: clients must be 1 to 32" >&2 && exit 2; }
[ "$KILL_EVERY" -ge 1 ] && [ "$FAULT_EVERY" -ge 1 ] || { echo "chaos: the intervals must be at least 1 s" >&2 && exit 2; }
bin_dir=${BIN:-bin}
BIN=$(cd "$bin_dir" 2>/dev/null && pwd) ||
	{ echo "chaos: no binaries in $bin_dir (run make first, or set BIN)" >&2 && exit 2; }
if [ -z "$STATE" ]; then
	STATE=$(mktemp -d "${TMPDIR:-/tmp}/storectl-chaos.XXXXXX")
elif [ -e "$STATE" ] && [ -n "$(ls -A "$STATE")" ]; then
	echo "chaos: $STATE is not empty; give a new state directory" >&2
	exit 2
fi
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
S="$BIN/storectl"
W="$STATE/chaos"
mkdir -p "$W"
for tool in curl jq kcat; do
	command -v "$tool" >/dev/null || { echo "chaos: needs $tool (make deps)" >&2 && exit 2; }
done

say() { printf 'chaos: %s\n' "$*" >&2; }
# problem TEXT: one failed check, for the summary (and the exit status).
problem() { printf '%s\n' "$*" >>"$W/problems"; }
stopping() { [ -e "$W/stop" ]; }
# nap TENTHS: sleeps that many tenths of a second.
nap() { sleep "$(($1 / 10)).$(($1 % 10))"; }
# storectl with a time limit, so that a hang is a failure, not a stuck run.
sctl() { timeout 90 "$S" "$@" --state "$STATE"; }
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st:0:1}" != Z ]
}
pid_of() { jq -r --arg n "$1" '.processes[] | select(.name == $n) | .pid' "$STATE/stack.json"; }
store_url() { jq -r .services.store "$STATE/stack.json"; }
SERVICES=(store search ads favorites reviews display)

LOOPS=()
STACK_UP=0
finish() {
	local rc=$?
	touch "$W/stop" 2>/dev/null
	[ "${#LOOPS[@]}" -eq 0 ] || kill "${LOOPS[@]}" 2>/dev/null
	[ "$STACK_UP" = 0 ] || timeout 60 "$S" down --state "$STATE" >/dev/null 2>&1
	if [ "$rc" = 0 ] && [ "$KEEP" != 1 ]; then
		rm -rf "$STATE"
	else
		say "state, logs and records kept in $STATE"
	fi
	exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---- the clients --------------------------------------------------------

# call METHOD PATH [IF-MATCH] [BODY]: one request as the operator. Sets
# CODE (000 when no answer came), ETAG (the version, unquoted) and LOC.
call() {
	local method=$1 path=$2 match=${3:-} body=${4:-} out
	local args=(-s -o "$W/body.$ME" -X "$method" -H "@$W/auth" --max-time 10
		--connect-timeout 3 -w '%{http_code} %header{etag} %header{location}')
	[ -z "$match" ] || args+=(-H "If-Match: \"$match\"")
	[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
	out=$(curl "${args[@]}" "$URL$path" 2>/dev/null)
	read -r CODE ETAG LOC <<<"$out"
	CODE=${CODE:-000}
	ETAG=${ETAG//\"/}
	LOC=${LOC:-}
	printf '%s %s\n' "$OP" "$CODE" >>"$W/ops.$ME"
	# No answer: store-svc is probably down, or came back elsewhere.
	if [ "$CODE" = 000 ]; then
		nap 2
		URL=$(store_url)
	fi
}

# ack OP ID VERSION: a write the API acknowledged, so committed.
ack() { printf '%s %s %s\n' "$1" "$2" "$3" >>"$W/acked.$ME"; }

# pick_id: a store to write: a small hot set (writers collide: 412), one
# this client created, or any demo store.
pick_id() {
	local r=$((RANDOM % 10))
	if [ "$r" -lt 4 ]; then
		ID=$((RANDOM % 20 + 1))
	elif [ "$r" -lt 7 ] && [ "${#MINE[@]}" -gt 0 ]; then
		ID=${MINE[RANDOM % ${#MINE[@]}]}
	else
		ID=$((RANDOM % 240 + 1))
	fi
}

patch_body() {
	case $((RANDOM % 4)) in
	0) echo "{\"description\":\"chaos client $ME edit $I\"}" ;;
	1) echo "{\"name\":\"혼돈 $ME-$I\"}" ;;
	2) echo "{\"status\":\"paused\",\"status_reason\":\"혼돈 $I\"}" ;;
	*) echo "{\"status\":\"open\",\"min_order\":$((RANDOM % 100 * 100 + I % 10 * 10))}" ;;
	esac
}

# client N: writes until the stop file appears. Every answer goes to
# ops.N ("op code"); every acknowledged write to acked.N ("op id version").
client() {
	ME=$1
	I=0
	MINE=()
	RANDOM=$(((SEED + ME * 7919) % 32768))
	URL=$(store_url)
	local r v
	while ! stopping; do
		I=$((I + 1))
		r=$((RANDOM % 100))
		if [ "$r" -lt 12 ]; then
			OP=create
			call POST /stores "" "{\"owner\":\"owner-$((ME % 8 + 1))\",\"name\":\"혼돈 가게 $ME-$I\",\"category\":\"cafe\",\"area\":\"gangnam-yeoksam\",\"menu\":[{\"name\":\"커피\",\"price\":3000}]}"
			if [ "$CODE" = 201 ]; then
				ID=${LOC##*/}
				MINE+=("$ID")
				ack create "$ID" "$ETAG"
			fi
			continue
		fi
		if [ "$r" -lt 20 ]; then
			OP=delete
			# Mostly its own stores, so the demo stores last.
			if [ "${#MINE[@]}" -gt 0 ] && [ $((RANDOM % 5)) -gt 0 ]; then
				ID=${MINE[RANDOM % ${#MINE[@]}]}
			else
				pick_id
			fi
		elif [ "$r" -lt 30 ]; then
			OP=menu
			pick_id
		else
			OP=edit
			pick_id
		fi
		# Read the version, then write against it: another client may
		# write in between (412).
		local what=$OP
		OP="read"
		call GET "/stores/$ID"
		[ "$CODE" = 200 ] || continue
		v=$ETAG
		OP=$what
		case $OP in
		delete)
			call DELETE "/stores/$ID" "$v"
			[ "$CODE" != 204 ] || ack delete "$ID" "$ETAG"
			;;
		menu)
			call POST "/stores/$ID/menu" "$v" "{\"name\":\"혼돈 메뉴 $I\",\"price\":$((RANDOM % 100 * 100 + 1000))}"
			[ "$CODE" != 201 ] || ack menu "$ID" "$ETAG"
			;;
		edit)
			call PATCH "/stores/$ID" "$v" "$(patch_body)"
			[ "$CODE" != 200 ] || ack edit "$ID" "$ETAG"
			;;
		esac
	done
}

# ---- the killer and the faults ------------------------------------------

# restart NAME: starts it again, three tries.
restart() {
	local _
	for _ in 1 2 3; do
		sctl service start "$1" >>"$W/killer.log" 2>&1 && return 0
		sleep 1
	done
	problem "crash: $1 did not start again (storectl service start failed 3 times; see $W/killer.log)"
}

# check_alive: every service runs (nothing else kills them while the
# killer is between kills); a dead one is a crash, started again.
check_alive() {
	local name pid
	for name in "${SERVICES[@]}"; do
		pid=$(pid_of "$name")
		alive "$pid" && continue
		problem "crash: $name (pid $pid) died without being killed: $(tail -n 2 "$STATE/logs/$name-svc.log" | tr '\n' ' ')"
		restart "$name"
	done
	pid=$(pid_of broker)
	alive "$pid" || problem "crash: the broker (pid $pid) died"
}

# killer: SIGKILLs a random service every KILL_EVERY s or so (store-svc
# twice as often as each other), and starts it again after up to 1.5 s.
killer() {
	local victims=(store "${SERVICES[@]}") victim
	RANDOM=$(((SEED + 4093) % 32768))
	while ! stopping; do
		nap $((5 + RANDOM % (KILL_EVERY * 20 - 9)))
		stopping && break
		check_alive
		victim=${victims[RANDOM % ${#victims[@]}]}
		if sctl service kill "$victim" >>"$W/killer.log" 2>&1; then
			echo "$victim" >>"$W/kills"
		else
			problem "storectl service kill $victim failed: $(tail -n 1 "$W/killer.log")"
		fi
		nap $((RANDOM % 16))
		restart "$victim"
	done
	check_alive
}

# Kafka requests to fail, each with an error its client must survive.
BROKER_ERRORS=(
	"Produce NOT_LEADER_FOR_PARTITION" "Produce REQUEST_TIMED_OUT"
	"Produce NOT_ENOUGH_REPLICAS" "Produce LEADER_NOT_AVAILABLE" "Produce TRANSPORT"
	"Fetch NOT_LEADER_FOR_PARTITION" "Fetch TRANSPORT" "Metadata TRANSPORT"
	"ListOffsets NOT_LEADER_FOR_PARTITION" "OffsetFetch COORDINATOR_NOT_AVAILABLE"
	"OffsetCommit COORDINATOR_NOT_AVAILABLE" "OffsetCommit NOT_COORDINATOR"
	"OffsetCommit REQUEST_TIMED_OUT" "InitProducerId COORDINATOR_NOT_AVAILABLE"
)
[ "$GROUP_ERRORS" != 1 ] || BROKER_ERRORS+=(
	"Heartbeat NOT_COORDINATOR" "FindCoordinator COORDINATOR_NOT_AVAILABLE"
	"JoinGroup COORDINATOR_NOT_AVAILABLE" "SyncGroup NOT_COORDINATOR"
)

# faulter: every FAULT_EVERY s or so, the next 1-5 requests of a Kafka API
# fail (70%), store-svc fails half the services' reads for 2 s (15%), or
# the broker goes down for up to 2 s (15%). Records to faults ("kind
# count" lines).
faulter() {
	local r e n
	RANDOM=$(((SEED + 6151) % 32768))
	while ! stopping; do
		nap $((2 + RANDOM % (FAULT_EVERY * 16)))
		stopping && break
		r=$((RANDOM % 100))
		if [ "$r" -lt 70 ] || { [ "$r" -ge 85 ] && [ "$BROKER_DOWN" != 1 ]; }; then
			e=${BROKER_ERRORS[RANDOM % ${#BROKER_ERRORS[@]}]}
			n=$((RANDOM % 5 + 1))
			# shellcheck disable=SC2086
			sctl fault broker errors $e "$n" >>"$W/faults.log" 2>&1 &&
				echo "broker $n" >>"$W/faults"
		elif [ "$r" -lt 85 ]; then
			# store-svc may be down just now: that is no failure.
			sctl fault api --errors 50% --for 2 >>"$W/faults.log" 2>&1 &&
				echo "api 1" >>"$W/faults"
		else
			sctl fault broker down >>"$W/faults.log" 2>&1 && echo "down 1" >>"$W/faults"
			nap $((5 + RANDOM % 16))
			sctl fault broker up >>"$W/faults.log" 2>&1 ||
				problem "storectl fault broker up failed: $(tail -n 1 "$W/faults.log")"
		fi
	done
}

# ---- the run ------------------------------------------------------------

say "seed $SEED, $SECS s, $CLIENTS clients, state $STATE"
if ! sctl up --detach >"$W/up.log" 2>&1; then
	say "storectl up failed:"
	cat "$W/up.log" >&2
	exit 1
fi
STACK_UP=1
(
	umask 077
	printf 'Authorization: Bearer %s\n' \
		"$(jq -r '.tokens[] | select(.role == "operator") | .token' "$STATE/tokens.json")" >"$W/auth"
)
BROKERS=$(jq -r .broker "$STATE/stack.json")
touch "$W/problems" "$W/kills" "$W/faults"
sctl audit --wait 60 >"$W/audit0.out" 2>&1 || problem "the fresh stack did not converge: $(head -n 3 "$W/audit0.out")"

for n in $(seq "$CLIENTS"); do
	client "$n" &
	LOOPS+=($!)
done
killer &
LOOPS+=($!)
faulter &
LOOPS+=($!)
sleep "$SECS"
touch "$W/stop"
say "stopping the clients, the killer and the faults"
# Each loop ends within one request (10 s) or one restart (90 s).
deadline=$((SECONDS + 120))
for pid in "${LOOPS[@]}"; do
	while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	if alive "$pid"; then
		problem "hang: a chaos loop (pid $pid) did not end within 120 s of the stop"
		kill "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
done
LOOPS=()

# The broker keeps the topics in memory: once it died, nothing below can
# be checked.
if ! alive "$(pid_of broker)"; then
	problem "crash: the embedded broker died, and store.events with it: $(grep -v ' info: ' "$STATE/logs/storectl-broker.log" | tail -n 1)"
	timeout 120 "$S" down --state "$STATE" >/dev/null 2>&1
	STACK_UP=0
	printf 'chaos: FAILED, %d problem(s):\n' "$(sort -u "$W/problems" | wc -l)"
	sort -u "$W/problems" | sed 's/^/  - /'
	exit 1
fi

# Everything whole again: no faults, the broker up, every service running.
sctl fault api --clear >/dev/null 2>&1 || problem "storectl fault api --clear failed"
sctl fault broker up >/dev/null 2>&1 || problem "storectl fault broker up failed"
check_alive
start=$SECONDS
outbox_drained() { curl -sf --max-time 5 "$(store_url)/health" | jq -e '.outbox_pending == 0 and .broker == "ok"' >/dev/null; }
until outbox_drained; do
	if [ $((SECONDS - start)) -ge "$CONVERGE" ]; then
		problem "hang: store-svc's outbox did not drain within $CONVERGE s: $(curl -s --max-time 5 "$(store_url)/health")"
		break
	fi
	sleep 0.5
done
sctl status >"$W/status.out" 2>&1 || problem "storectl status after the chaos: $(tail -n 1 "$W/status.out")"
left=$((CONVERGE - (SECONDS - start)))
[ "$left" -ge 10 ] || left=10
audit_rc=0
timeout $((left + 30)) "$S" audit --wait "$left" --state "$STATE" >"$W/audit.out" 2>&1 || audit_rc=$?
converge_secs=$((SECONDS - start))
timeout 60 "$S" audit --json --state "$STATE" >"$W/audit.json" 2>/dev/null
drift=$(jq '[.services[] | (.drift // []) | length] | add // 0' "$W/audit.json" 2>/dev/null)
unanswered=$(jq '[.services[] | select(.answered | not)] | length' "$W/audit.json" 2>/dev/null)
if [ "$audit_rc" != 0 ]; then
	problem "drift: storectl audit did not converge within $left s (exit $audit_rc): $(grep -E 'DRIFT|not|error' "$W/audit.out" | head -n 6 | tr '\n' ';')"
fi

# The store API's truth: every id from 1 up, a thousand at a time, until a
# batch has nothing (ids are given out in order).
: >"$W/current"
from=1
while :; do
	ids=$(seq -s, "$from" $((from + 999)))
	if ! curl -sf --max-time 30 -H "@$W/auth" "$(store_url)/stores?ids=$ids" >"$W/ids.json"; then
		problem "the store API did not answer GET /stores?ids= after the chaos"
		break
	fi
	jq -r '(.stores[] | "\(.id) \(.version) live"), (.deleted[] | "\(.id) \(.version) deleted")' \
		"$W/ids.json" >>"$W/current"
	[ "$(jq '(.stores | length) + (.deleted | length)' "$W/ids.json")" -gt 0 ] || break
	from=$((from + 1000))
done
sort -n -o "$W/current" "$W/current"

# Every event on store.events; resync events are left out (they repeat a
# version and would hide a missing one).
# (Partition and offset kept in events.log, for reading a failure.)
timeout 120 kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%p %o %s\n' >"$W/events.log" 2>"$W/kcat.err" ||
	problem "kcat could not read store.events: $(tail -n 1 "$W/kcat.err")"
cut -d' ' -f3- "$W/events.log" >"$W/events.json"
events=$(wc -l <"$W/events.json")
jq -r 'select(.resync != true) | "\(.store_id) \(.version) \(.type)"' "$W/events.json" | sort -u >"$W/events" ||
	problem "store.events holds a record that is not JSON"
cut -d' ' -f1,2 "$W/events" | sort -u >"$W/event_versions"
# Every version the API holds: 1..current of every store.
awk '{ for (v = 1; v <= $2; v++) print $1, v }' "$W/current" | sort -u >"$W/committed"
comm -23 "$W/committed" "$W/event_versions" >"$W/missing"
comm -13 "$W/committed" "$W/event_versions" >"$W/phantom"
missing=$(wc -l <"$W/missing")
phantom=$(wc -l <"$W/phantom")
[ "$missing" = 0 ] || problem "lost events: $missing committed versions have no event on store.events: $(head -n 8 "$W/missing" | tr '\n' ',')"
[ "$phantom" = 0 ] || problem "phantom events: $phantom events name a version the API never committed: $(head -n 8 "$W/phantom" | tr '\n' ',')"
awk '$3 == "deleted" { print $1, $2, "deleted" }' "$W/current" | sort -u >"$W/deletions"
comm -23 "$W/deletions" "$W/events" >"$W/bad_deletions"
[ ! -s "$W/bad_deletions" ] || problem "a deletion without its deleted event: $(head -n 5 "$W/bad_deletions" | tr '\n' ',')"

# No acknowledged write lost.
cat "$W"/acked.* 2>/dev/null | sort -u >"$W/acked"
awk 'NR == FNR { cur[$1] = $2; state[$1] = $3; next }
     !($2 in cur) { print "acknowledged " $1 " of store " $2 " v" $3 ": the API has no such store"; next }
     $3 > cur[$2] { print "acknowledged " $1 " of store " $2 " v" $3 ": the API holds v" cur[$2]; next }
     $1 == "delete" && (state[$2] != "deleted" || $3 != cur[$2]) {
	print "acknowledged delete of store " $2 " v" $3 ": the API holds it " state[$2] " at v" cur[$2] }' \
	"$W/current" "$W/acked" >"$W/lost"
lost=$(wc -l <"$W/lost")
[ "$lost" = 0 ] || problem "lost writes: $lost: $(head -n 5 "$W/lost" | tr '\n' ';')"

# Every process stops cleanly, and none left a sanitizer report.
timeout 120 "$S" down --state "$STATE" >"$W/down.out" 2>&1 || problem "storectl down failed: $(tail -n 2 "$W/down.out" | tr '\n' ' ')"
STACK_UP=0
if grep -lE 'Sanitizer|runtime error:' "$STATE"/logs/*.log >"$W/sanitizer" 2>/dev/null; then
	problem "crash: a sanitizer report in $(xargs -n1 basename <"$W/sanitizer" | tr '\n' ' ')"
fi

# ---- the summary ----------------------------------------------------------

count() { awk -v k="$1" '$1 == k' "$W/acked" | wc -l; }
codes() { cat "$W"/ops.* 2>/dev/null | awk '$1 != "read"' | awk "$1" | wc -l; }
kills=$(wc -l <"$W/kills")
problems=$(wc -l <"$W/problems")
crashes=$(grep -c '^crash' "$W/problems")
printf '\nchaos: seed %s, %s s, %s clients\n' "$SEED" "$SECS" "$CLIENTS"
printf '  %-22s %s\n' \
	"writes acknowledged" "$(wc -l <"$W/acked") (edits $(count edit), creates $(count create), deletes $(count delete), menu items $(count menu))" \
	"writes refused" "$(codes '$2 == 412') conflicts (412), $(codes '$2 == 410 || $2 == 404') gone, $(codes '$2 ~ /^4/ && $2 != 412 && $2 != 410 && $2 != 404') other 4xx" \
	"writes unanswered" "$(codes '$2 == "000" || $2 ~ /^5/') (no answer or 5xx: store-svc down or dying)" \
	"kills (SIGKILL)" "$kills ($(sort "$W/kills" | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'))" \
	"injected errors" "$(awk '$1 == "broker" { n += $2; p++ } END { printf "%d Kafka requests failed (%d injections)", n, p }' "$W/faults"), $(grep -c '^api' "$W/faults") store read fault windows, $(grep -c '^down' "$W/faults") broker outages" \
	"events" "$events on store.events; $(wc -l <"$W/committed") versions of $(wc -l <"$W/current") stores committed" \
	"missing events" "$missing (phantom: $phantom)" \
	"lost writes" "$lost" \
	"drift" "${drift:-?} (audit $( [ "$audit_rc" = 0 ] && echo converged || echo "NOT converged, $unanswered not answering") ${converge_secs} s after the chaos)" \
	"crashes and hangs" "$crashes crashes, $(grep -c '^hang' "$W/problems") hangs"
if [ "$problems" -gt 0 ]; then
	printf 'chaos: FAILED, %d problem(s):\n' "$problems"
	sed 's/^/  - /' "$W/problems"
	exit 1
fi
echo "chaos: passed"
