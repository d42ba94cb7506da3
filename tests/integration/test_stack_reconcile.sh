#!/usr/bin/env bash
# storectl up on kept databases with an empty broker reconciles before it
# says the stack is ready: changes made while services were stopped (and
# whose events died with the broker at 'down') reach every copy; an up
# with nothing to repair says so; the stack audits clean after each up.
. "$(dirname "$0")/../lib.sh"

S="$BIN/storectl"
STATE="$T/state"
at_exit '"$S" down --state "$STATE" >/dev/null 2>&1'
url_of() { jq -r --arg n "$1" '.services[$n]' "$STATE/stack.json"; }
found() { curl -sf --get --data-urlencode "q=$1" "$(url_of search)/search" | jq -e --argjson id "$2" '.ids | index($id) != null'; }

"$S" up --detach --state "$STATE" >"$T/up1.log" 2>&1 || fail "up: $(cat "$T/up1.log")"
! grep -q reconcile "$T/up1.log" || fail "a new stack reconciled: $(cat "$T/up1.log")"
API_TOKEN=$(jq -r '.tokens[] | select(.role == "operator") | .token' "$STATE/tokens.json")
"$S" audit --wait 30 --state "$STATE" >/dev/null || fail "the new stack does not converge"

# While search-svc and display-svc are stopped: an edit, a delete, a new
# store. Then the whole stack goes down, and the broker's log with it.
"$S" service stop search --state "$STATE" >/dev/null
"$S" service stop display --state "$STATE" >/dev/null
STORE_URL=$(url_of store)
api GET "$STORE_URL/stores/11"
api PATCH "$STORE_URL/stores/11" '{"name":"내려간 사이 수정"}' -H "If-Match: \"$(jq -r .version <<<"$BODY")\""
[ "$STATUS" = 200 ] || fail "edit: $STATUS $BODY"
api GET "$STORE_URL/stores/12"
api DELETE "$STORE_URL/stores/12" "" -H "If-Match: \"$(jq -r .version <<<"$BODY")\""
[ "$STATUS" = 204 ] || fail "delete: $STATUS"
api POST "$STORE_URL/stores" '{"owner":"owner-3","name":"내려간 사이 개업","category":"cafe","area":"mapo"}'
[ "$STATUS" = 201 ] || fail "create: $STATUS $BODY"
new=$(jq -r .id <<<"$BODY")
"$S" down --state "$STATE" >/dev/null || fail "down"

# Up again: the broker is empty, the copies are behind; reconciled.
start=$SECONDS
"$S" up --detach --state "$STATE" >"$T/up2.log" 2>&1 || fail "second up: $(cat "$T/up2.log")"
log "second up with reconcile took $((SECONDS - start)) s"
grep -q '^storectl: reconcile: drift found (stores per service: .*search 3.*display 3' "$T/up2.log" ||
	fail "no drift found: $(cat "$T/up2.log")"
grep -q '^storectl: reconcile: resync published [0-9]* event(s)' "$T/up2.log" || fail "no resync: $(cat "$T/up2.log")"
grep -q '^storectl: reconcile: converged (241 stores)$' "$T/up2.log" || fail "not converged: $(cat "$T/up2.log")"
# Reconciled before it said where the stack runs.
[ "$(grep -n 'reconcile: converged' "$T/up2.log" | cut -d: -f1)" -lt "$(grep -n '^stack running in' "$T/up2.log" | cut -d: -f1)" ] ||
	fail "the stack was announced before it was reconciled"
kcat -C -b "$(jq -r .broker "$STATE/stack.json")" -t store.events -e -q -f '%s\n' | jq -s -e 'all(.resync)' >/dev/null ||
	fail "store.events holds more than the resync (the broker kept events?)"
"$S" audit --state "$STATE" >"$T/audit.out" || fail "audit after the reconciling up: $(cat "$T/audit.out")"
found "내려간 사이 수정" 11 >/dev/null || fail "search-svc lacks the edit"
found "내려간 사이 개업" "$new" >/dev/null || fail "search-svc lacks the new store"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url_of display)/shops/12")" = 410 ] || fail "display-svc still shows the deleted store"
curl -sf "$(url_of display)/shops/$new" | jq -e '.name == "내려간 사이 개업"' >/dev/null || fail "display-svc lacks the new store"

# Nothing to repair: said so, quickly.
"$S" down --state "$STATE" >/dev/null || fail "down (2)"
"$S" up --detach --state "$STATE" >"$T/up3.log" 2>&1 || fail "third up: $(cat "$T/up3.log")"
grep -q '^storectl: reconcile: every copy matches the store API (241 stores' "$T/up3.log" || fail "third up: $(cat "$T/up3.log")"
# Every process stops cleanly, with no sanitizer report in its log.
"$S" down --state "$STATE" >/dev/null || fail "down"
! grep -E 'Sanitizer|runtime error:' "$STATE"/logs/*.log >&2 || fail "a sanitizer report in the stack's logs"
log "ok"
