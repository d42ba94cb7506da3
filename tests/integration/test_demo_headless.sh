#!/usr/bin/env bash
# storectl demo --headless on a detached stack: the built-in scenario passes
# (propagation, a coalesced burst, search-svc and store-svc down and back
# with every breaker open meanwhile, ads-svc down and the list degraded, a
# clean audit at the end) and leaves the stack whole; injected faults are
# taken back after a failure; a failing expectation exits 1 naming its step
# and brings back what the script stopped; a script with errors exits 2
# naming each line and runs nothing; what the stack cannot do is refused
# before anything runs.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'

"$S" up --detach --state "$STATE" >"$T/up.log" 2>&1 || fail "up --detach: $(cat "$T/up.log")"
STORE_URL=$("$S" status --json --state "$STATE" | jq -r .services.store)
API_TOKEN=$(jq -r '.tokens[] | select(.role == "operator") | .token' "$STATE/tokens.json")
count_stores() { api GET "$STORE_URL/stores?limit=1000" && jq '.stores | length' <<<"$BODY"; }

# The built-in scenario.
start=$SECONDS
"$S" demo --headless --state "$STATE" >"$T/builtin.out" 2>"$T/builtin.err" ||
	fail "built-in demo failed (exit $?): $(tail -n 5 "$T/builtin.out") $(cat "$T/builtin.err")"
log "built-in scenario took $((SECONDS - start)) s"
out=$(cat "$T/builtin.out")
head -n 1 <<<"$out" | grep -q '^demo: playing built-in ([0-9]* steps) on the stack in ' || fail "no first line: $out"
tail -n 1 <<<"$out" | grep -Eq '^demo: ok: [0-9]+ steps, [0-9]+ expectations held, in [0-9.]+ s$' ||
	fail "no summary line: $(tail -n 1 <<<"$out")"
steps=$(head -n 1 <<<"$out" | sed 's/.*(\([0-9]*\) steps).*/\1/')
# One line per step: elapsed ms, its line, the step, the result.
[ "$(grep -Ec '^ *[0-9]+ ms  L[0-9]+ ' <<<"$out")" = "$steps" ] || fail "not one line per step:
$out"
! grep -q 'FAILED' <<<"$out" || fail "a step failed: $out"
grep -Eq 'L[0-9]+ +burst [0-9]+ 30 name  =>  ok .*30 edits of name' <<<"$out" || fail "no burst line"
# search-svc holds the burst's last version. It may get there before it has
# seen every event (a fetch returns the newest version), and how the events
# collapse depends on timing, so the counts are only shown.
burst_wait=$(grep -A1 ' burst ' <<<"$out" | tail -n 1)
grep -Eq 'wait propagated .* ok .*reached search v[0-9]+ \([0-9]+ events? in [0-9]+ reactions?\)' <<<"$burst_wait" ||
	fail "the wait after the burst: $burst_wait"
log "burst: $(grep -Eo '[0-9]+ events? in [0-9]+ reactions?' <<<"$burst_wait")"
grep -Eq 'wait failed search [0-9]+ within 30  =>  ok .*search failed [0-9]+ times? on store [0-9]+: store API' <<<"$out" ||
	fail "search-svc did not fail while store-svc was down: $out"
grep -Eq 'start store  =>  ok .*store-svc started at '"$STORE_URL"' ' <<<"$out" ||
	fail "store-svc did not come back on its address $STORE_URL"
grep -Eq 'expect store [0-9]+ deleted  =>  ok' <<<"$out" || fail "no final expectation"
# Fault isolation: store-svc down opens every breaker; ads-svc down makes
# the list degraded; the audit is clean at the end.
for svc in search ads favorites reviews display; do
	grep -Eq "expect breaker $svc open within 30  =>  ok .*$svc's breaker is open" <<<"$out" ||
		fail "$svc's breaker did not open: $out"
done
grep -Eq 'expect breaker search closed within 20  =>  ok' <<<"$out" || fail "search's breaker did not close"
grep -Eq 'expect list "area=seongdong&q=[^"]*" degraded ads within 5  =>  ok .*degraded: ads$' <<<"$out" ||
	fail "no degraded list with ads-svc stopped: $out"
grep -Eq 'expect list "area=seongdong&q=[^"]*" degraded none within 20  =>  ok' <<<"$out" ||
	fail "the list stayed degraded after ads-svc came back"
tail -n 3 <<<"$out" | grep -Eq 'expect audit clean within 20  =>  ok .*: 5 services converged on [0-9]+ stores$' ||
	fail "no clean audit at the end: $(tail -n 3 <<<"$out")"
# Everything runs again, on the same addresses.
"$S" status --state "$STATE" >/dev/null || fail "the stack is not whole after the demo: $("$S" status --state "$STATE" 2>&1)"
[ "$("$S" status --json --state "$STATE" | jq -r .services.store)" = "$STORE_URL" ] || fail "store-svc moved"

# A failing expectation: exit 1, the step named, the rest not run, and the
# service the script stopped started again.
cat >"$T/fail.demo" <<'EOF'
create $x owner=owner-2 name="기대 실패 테스트" category=cafe
stop search
expect store $x name = "다른 이름"
caption never shown
EOF
rc=0
"$S" demo --headless --state "$STATE" "$T/fail.demo" >"$T/fail.out" 2>"$T/fail.err" || rc=$?
[ "$rc" = 1 ] || fail "a failing expectation exited $rc: $(cat "$T/fail.out" "$T/fail.err")"
grep -q 'L3   expect store [0-9]* name = "다른 이름"  =>  FAILED in [0-9]* ms: store [0-9]* v1: name is "기대 실패 테스트", expected "다른 이름"' "$T/fail.out" ||
	fail "the failed step is not named: $(cat "$T/fail.out")"
tail -n 1 "$T/fail.out" | grep -q '^demo: FAILED at line 3 (3 of 4 steps ran' || fail "summary: $(tail -n 1 "$T/fail.out")"
! grep -q 'never shown' "$T/fail.out" || fail "a step after the failure ran"
grep -q 'clean-up: start search: search-svc started at' "$T/fail.out" || fail "search-svc not brought back: $(cat "$T/fail.out")"
"$S" status --state "$STATE" >/dev/null || fail "the stack is not whole after a failed demo"

# Faults a failed script injected are taken back.
cat >"$T/fault.demo" <<'EOF'
fault api latency 100 errors 50%
fault broker down
expect list area=mapo degraded search
EOF
rc=0
"$S" demo --headless --state "$STATE" "$T/fault.demo" >"$T/fault.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a failing script with faults exited $rc: $(cat "$T/fault.out")"
grep -q 'fault api latency 100 errors 50%  =>  ok in [0-9]* ms: store API faults: latency 100 ms, 50% errors' "$T/fault.out" ||
	fail "fault api step: $(cat "$T/fault.out")"
grep -q 'clean-up: fault api clear: store API faults: none' "$T/fault.out" || fail "api faults not cleared: $(cat "$T/fault.out")"
grep -q 'clean-up: fault broker up: broker up' "$T/fault.out" || fail "broker not brought up: $(cat "$T/fault.out")"
"$S" fault --state "$STATE" >"$T/fault.show"
grep -q '^store API faults: none$' "$T/fault.show" && grep -q '^broker: up$' "$T/fault.show" ||
	fail "faults left after the demo: $(cat "$T/fault.show")"

# A wait counts only the services that run: none, here.
downstream=$(jq -r '.processes[].name | select(. != "broker" and . != "store")' "$STATE/stack.json")
{
	for d in $downstream; do echo "stop $d"; done
	printf 'edit 1 phone=02-555-7777\nwait propagated 1 within 0.5\n'
	for d in $downstream; do echo "start $d"; done
} >"$T/wait.demo"
"$S" demo --headless --state "$STATE" "$T/wait.demo" >"$T/wait.out" 2>&1 ||
	fail "a wait with every downstream service stopped: $(cat "$T/wait.out")"
grep -q 'wait propagated 1 within 0.5  =>  ok .*no downstream service is running' "$T/wait.out" ||
	fail "a wait with every downstream service stopped: $(cat "$T/wait.out")"

# A wait that times out fails; a killed service is brought back.
printf 'edit 1 phone=02-555-8888\nkill search\nwait failed search 1 within 0.5\n' >"$T/wait3.demo"
rc=0
"$S" demo --headless --state "$STATE" "$T/wait3.demo" >"$T/wait3.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a wait that times out exited $rc: $(cat "$T/wait3.out")"
grep -q 'wait failed search 1 within 0.5  =>  FAILED in [0-9]* ms: search reported no failure for store 1 within 0.5 s' "$T/wait3.out" ||
	fail "the timed-out wait: $(cat "$T/wait3.out")"
grep -q 'clean-up: start search' "$T/wait3.out" || fail "killed search-svc not brought back"
"$S" status --state "$STATE" >/dev/null || fail "the stack is not whole after a killed service"

# A script with errors: exit 2, every bad line named, nothing run.
before=$(count_stores)
cat >"$T/bad.demo" <<'EOF'
create $y owner=owner-1 name="만들어지면 안 됨" category=korean
# a comment, then errors on lines 3, 4 and 6
edit $nope name=x
wait propagated $y whenever
caption fine
expect search 치킨 has 1
EOF
rc=0
"$S" demo --headless --state "$STATE" "$T/bad.demo" >"$T/bad.out" 2>"$T/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "a script with errors exited $rc"
[ ! -s "$T/bad.out" ] || fail "a script with errors printed a transcript: $(cat "$T/bad.out")"
grep -q "bad.demo:3: \$nope is not set by an earlier 'create \$nope ...'" "$T/bad.err" || fail "line 3: $(cat "$T/bad.err")"
grep -q 'bad.demo:4: wait propagated: unexpected "whenever"' "$T/bad.err" || fail "line 4: $(cat "$T/bad.err")"
grep -q "bad.demo:6: expect search: expected 'contains' or 'lacks'" "$T/bad.err" || fail "line 6: $(cat "$T/bad.err")"
! grep -q 'bad.demo:[125]:' "$T/bad.err" || fail "a good line reported: $(cat "$T/bad.err")"
grep -q 'nothing was run' "$T/bad.err" || fail "does not say nothing ran"
[ "$(count_stores)" = "$before" ] || fail "a script with errors created a store"

# What the stack cannot do is refused before anything runs: no service
# control on remote endpoints.
BROKERS=$("$S" status --json --state "$STATE" | jq -r .broker)
printf 'create owner=owner-1 name="원격" category=korean\nstop search\nfault broker down\nexpect audit clean\n' >"$T/remote.demo"
rc=0
"$S" demo --headless --store-api "$STORE_URL" --brokers "$BROKERS" "$T/remote.demo" >"$T/remote.out" 2>"$T/remote.err" || rc=$?
[ "$rc" = 2 ] || fail "service control on remote endpoints exited $rc: $(cat "$T/remote.out" "$T/remote.err")"
grep -q 'remote.demo:2: stop search: only the embedded stack' "$T/remote.err" || fail "remote: $(cat "$T/remote.err")"
grep -q 'remote.demo:3: fault broker: only the embedded stack' "$T/remote.err" || fail "remote: $(cat "$T/remote.err")"
grep -q 'remote.demo:4: expect audit: only the embedded stack' "$T/remote.err" || fail "remote: $(cat "$T/remote.err")"
[ "$(count_stores)" = "$before" ] || fail "a refused script created a store"

# Without --headless it wants a terminal; --check and --print need no stack.
"$S" demo --state "$STATE" "$T/fail.demo" >/dev/null 2>"$T/tty.err" && fail "demo without a terminal succeeded"
grep -q 'use .storectl demo --headless' "$T/tty.err" || fail "no hint: $(cat "$T/tty.err")"
"$S" demo --print >"$T/builtin.demo" || fail "--print"
"$S" demo --check "$T/builtin.demo" | grep -q "builtin.demo: $steps steps, no problems" || fail "--check of the printed script"
"$S" down --state "$STATE" >/dev/null || fail "down"
# No sanitizer report in any process's log.
! grep -E 'Sanitizer|runtime error:' "$STATE"/logs/*.log >&2 || fail "a sanitizer report in the stack's logs"
log "ok"
