#!/usr/bin/env bash
# The command line explains itself: 'storectl COMMAND --help' shows that
# command's help (not the whole list), an unknown command is a usage error
# naming it, options given before 'tail' reach it, and a bad --stores names
# the item and what is wrong with it. Nothing here needs a stack.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
for cmd in up down status service demo fault audit resync; do
	out=$("$S" "$cmd" --help) || fail "$cmd --help exited $?"
	grep -q "^Usage: storectl \[OPTION\]\.\.\. $cmd " <<<"$out" || fail "$cmd --help: $out"
	grep -q "^  $cmd" <<<"$out" || fail "$cmd --help lacks its own lines: $out"
	[ "$(grep -c '^  [a-z]' <<<"$out")" -le 5 ] || fail "$cmd --help shows every command: $out"
done
grep -q "^  resync \\[--service S\\]" <<<"$("$S" --help)" || fail "storectl --help lacks resync"

rc=0
"$S" frobnicate --help >"$T/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "unknown command with --help exited $rc"
grep -q 'unknown command "frobnicate"' "$T/out" || fail "unknown command: $(cat "$T/out")"

# Options before 'tail' are tail's too.
rc=0
"$S" --state "$T/none" tail --count 3 >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "tail after --state exited $rc: $(cat "$T/out")"
grep -q "no stack running in $T/none" "$T/out" || fail "tail after --state: $(cat "$T/out")"

check_stores() {
	local rc=0
	"$S" --state "$T/none" resync --stores "$1" >"$T/out" 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "resync --stores $1 exited $rc"
	grep -qF -- "$2" "$T/out" || fail "resync --stores $1 said: $(cat "$T/out")"
}
check_stores 5-2 '"5-2" runs backwards'
check_stores 1,abc '"abc" is not a store id'
check_stores 0 '"0" is not a store id'
[ ! -e "$T/none" ] || fail "a refused command made the state directory"

# 'up' without a terminal says what to do.
rc=0
"$S" --state "$T/none" up </dev/null >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "up without a terminal exited $rc"
grep -q "the console needs a terminal; use 'storectl up --detach'" "$T/out" || fail "up: $(cat "$T/out")"
log "ok"
