#!/usr/bin/env bash
# store-svc over real HTTP: every endpoint and its errors, concurrent edits
# under If-Match, one event per committed write, and the outbox surviving
# kill -9 while the broker is unreachable.
. "$(dirname "$0")/../lib.sh"

fails=0
check() {
	local want=$1 got=$2
	shift 2
	if [ "$want" != "$got" ]; then
		log "FAIL $*: want $want, got $got"
		fails=$((fails + 1))
	fi
}

# req METHOD PATH [BODY] [curl args...]: sets STATUS, BODY, ETAG.
req() {
	local m=$1 p=$2 b=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=(-sS -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$m" "$@")
	[ -z "$b" ] || args+=(-H 'Content-Type: application/json' --data-binary "$b")
	STATUS=$(curl "${args[@]}" "$STORE_URL$p")
	BODY=$(cat "$T/body")
	ETAG=$(grep -i '^etag:' "$T/hdr" | tr -d '\r' | cut -d' ' -f2 || true)
}

start_broker
start_store
writes=0

req POST /stores '{"owner":"o1","name":"가게","category":"korean","phone":"02-123-4567"}'
check 201 "$STATUS" create
writes=$((writes + 1))
ID=$(jq -r .id <<<"$BODY")
check '"1"' "$ETAG" etag on create
grep -qi "^location: /stores/$ID" "$T/hdr" || check location missing "Location header"

K50=$(printf '가%.0s' $(seq 50))
req POST /stores "{\"owner\":\"o1\",\"name\":\"$K50\",\"category\":\"cafe\"}"
check 201 "$STATUS" "50 Korean characters"
writes=$((writes + 1))
req POST /stores "{\"owner\":\"o1\",\"name\":\"${K50}가\",\"category\":\"cafe\"}"
check 422 "$STATUS" "51 Korean characters"
check name "$(jq -r .field <<<"$BODY")" "field of the 51-character name"
check length "$(jq -r .rule <<<"$BODY")" "rule of the 51-character name"
req POST /stores '{"owner":"o1","name":"a\u0000b","category":"cafe"}'
check 400 "$STATUS" "NUL in name"
req POST /stores "$(printf '{"owner":"o1","name":"\xff","category":"cafe"}')"
check 400 "$STATUS" "invalid UTF-8"
req POST /stores "{\"owner\":\"o1\",\"name\":\"$(head -c 70000 /dev/zero | tr '\0' a)\",\"category\":\"cafe\"}"
check 413 "$STATUS" "body over the limit"
req POST /stores '{"owner":"o1","name":"x","category":"cafe","owner":"o2"}'
check 400 "$STATUS" "duplicate member"
req POST /stores '{"owner":"o1","name":"x","category":"bakery","phone":"12345"}'
check 422 "$STATUS" "bad category and phone"
check '["category","phone"]' "$(jq -c '[.errors[].field]' <<<"$BODY")" "every violation named"

req GET "/stores/$ID"
check 200 "$STATUS" get
req PATCH "/stores/$ID" '{"name":"가게 2"}' -H 'If-Match: "1"'
check 200 "$STATUS" patch
check '"2"' "$ETAG" "etag after patch"
writes=$((writes + 1))
req PATCH "/stores/$ID" '{"name":"가게 2"}'
check 200 "$STATUS" "no-op patch"
check '"2"' "$ETAG" "no-op keeps the version"
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: "1"'
check 412 "$STATUS" "stale If-Match"
check 2 "$(jq -r .current_version <<<"$BODY")" current_version
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: 2'
check 400 "$STATUS" "unquoted If-Match"
req GET "/stores/$ID"
check '가게 2' "$(jq -r .name <<<"$BODY")" "a stale write changes nothing"
req PUT "/stores/$ID" "$(jq -c '.status="closed"' <<<"$BODY")" -H 'If-Match: "2"'
check 200 "$STATUS" "PUT of what GET returned"
writes=$((writes + 1))
req PUT /stores/99 '{"owner":"o","name":"n","category":"cafe","status":"open"}'
check 404 "$STATUS" "PUT of an unknown store"
req DELETE "/stores/$ID" '' -H 'If-Match: "3"'
check 204 "$STATUS" delete
check '"4"' "$ETAG" "etag after delete"
writes=$((writes + 1))
req GET "/stores/$ID"
check 410 "$STATUS" "deleted store is gone"
req DELETE "/stores/$ID"
check 410 "$STATUS" "delete again"

req GET "/stores?ids=$ID,2,77"
check 200 "$STATUS" "ids"
check '[2]' "$(jq -c '[.stores[].id]' <<<"$BODY")" "ids: live stores"
check "[{\"id\":$ID,\"version\":4}]" "$(jq -c .deleted <<<"$BODY")" "ids: deleted"
check '[77]' "$(jq -c .missing <<<"$BODY")" "ids: missing"
req GET "/stores?ids=$(seq -s, 1001)"
check 400 "$STATUS" "1001 ids"
req GET "/stores?ids=1,abc"
check 400 "$STATUS" "a bad id"
grep -q abc <<<"$BODY" || check "abc named" "$BODY" "the bad id is named"
req GET /stores/0
check 400 "$STATUS" "id 0"

# Two clients edit the same version: exactly one wins.
req POST /stores '{"owner":"race","name":"r","category":"snack"}'
writes=$((writes + 1))
RID=$(jq -r .id <<<"$BODY")
for i in $(seq 20); do
	curl -s -o /dev/null -w '%{http_code}\n' -X PATCH -H 'Content-Type: application/json' \
		-H 'If-Match: "1"' -d "{\"name\":\"r$i\"}" "$STORE_URL/stores/$RID" &
done >"$T/race"
wait $(jobs -p | grep -vxF -e "${PID_OF[broker]}" -e "${PID_OF[store]}") 2>/dev/null || true
check 1 "$(grep -c 200 "$T/race")" "one winner among 20 racing edits"
check 19 "$(grep -c 412 "$T/race")" "19 losers get 412"
writes=$((writes + 1))

for i in $(seq 30); do
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
		-d "{\"owner\":\"bulk\",\"name\":\"b$i\",\"category\":\"other\"}" "$STORE_URL/stores"
done
writes=$((writes + 30))
req GET '/stores?owner=bulk&limit=10&after=5'
check 10 "$(jq '.stores|length' <<<"$BODY")" "list limit"
check bulk "$(jq -r '[.stores[].owner]|unique|.[]' <<<"$BODY")" "owner filter"

outbox_drained() { curl -sf "$STORE_URL/health" | jq -e '.outbox_pending == 0 and .broker == "ok"'; }
wait_until 10 outbox_drained
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%k %s\n' >"$T/events"
check "$writes" "$(wc -l <"$T/events")" "one event per committed write"
check 0 "$(jq -r '"\(.store_id) \(.version)"' <(cut -d' ' -f2- "$T/events") |
	awk '{ if ($1 in v && $2 <= v[$1]) bad++; v[$1] = $2 } END { print bad + 0 }')" \
	"versions rise per store"
check 0 "$(awk '{ split($2, a, "\"store_id\":"); if ($1 != a[2] + 0) bad++ } END { print bad + 0 }' "$T/events")" \
	"the key is the store id"

# Crash: commits while the broker is unreachable, kill -9, restart against
# the live broker: every committed change gets its event.
stop_proc store
start_proc dead "$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/store.db" --brokers 127.0.0.1:1 >"$T/dead.addr"
STORE_URL=$(cat "$T/dead.addr")
for i in 1 2 3; do
	req POST /stores "{\"owner\":\"crash\",\"name\":\"c$i\",\"category\":\"cafe\"}"
	check 201 "$STATUS" "write while the broker is unreachable"
done
req GET /health
check 3 "$(jq -r .outbox_pending <<<"$BODY")" "backlog while the broker is unreachable"
stop_proc dead KILL
start_store
wait_until 10 outbox_drained
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%k %s\n' >"$T/events2"
check $((writes + 3)) "$(wc -l <"$T/events2")" "republished after kill -9"
check 0 "$(sqlite3 "$T/store.db" 'select count(*) from outbox where sent_at is null')" "nothing left unsent"

[ "$fails" -eq 0 ] || fail "$fails checks failed"
log ok
