#!/usr/bin/env bash
# A short 'make chaos' (scripts/chaos.sh): 15 s of random writes from three
# clients while services, store-svc included, are killed and started
# again and the broker fails requests. It must end with every check held
# (no drift, no lost event or write, no crash or hang), having really
# killed, injected and written; a failing run fails the test with the
# chaos summary and the tail of the stack's logs.
. "$(dirname "$0")/../lib.sh"

STATE="$T/chaos"
rc=0
CHAOS_SECS=15 CHAOS_CLIENTS=3 CHAOS_KILL_EVERY=2 CHAOS_CONVERGE=90 CHAOS_STATE="$STATE" \
	"$(dirname "$0")/../../scripts/chaos.sh" >"$T/chaos.out" 2>&1 || rc=$?
if [ "$rc" != 0 ]; then
	cat "$T/chaos.out" >&2
	for f in "$STATE"/logs/*.log; do
		[ -f "$f" ] || continue
		printf '%s\n' "--- last lines of $(basename "$f")" >&2
		tail -n 8 "$f" >&2
	done
	fail "chaos exited $rc"
fi
# The run kept nothing (it passed), and it did something.
[ ! -e "$STATE" ] || fail "a passing run left its state directory"
field() { sed -n "s/^  $1 *//p" "$T/chaos.out"; }
grep -q '^chaos: passed$' "$T/chaos.out" || fail "no verdict: $(cat "$T/chaos.out")"
[ "$(field 'writes acknowledged' | cut -d' ' -f1)" -ge 50 ] || fail "too few writes: $(cat "$T/chaos.out")"
[ "$(field 'kills (SIGKILL)' | cut -d' ' -f1)" -ge 1 ] || fail "nothing was killed: $(cat "$T/chaos.out")"
[ "$(field 'injected errors' | cut -d' ' -f1)" -ge 1 ] || fail "no injected errors: $(cat "$T/chaos.out")"
[ "$(field 'drift' | cut -d' ' -f1)" = 0 ] || fail "drift: $(cat "$T/chaos.out")"
[ "$(field 'missing events' | cut -d' ' -f1)" = 0 ] || fail "missing events: $(cat "$T/chaos.out")"
log "$(grep -E '^  (writes ack|kills|injected|events)' "$T/chaos.out" | tr -s ' ' | tr '\n' ';')"
log ok
