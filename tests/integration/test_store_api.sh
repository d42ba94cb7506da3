#!/usr/bin/env bash
# store-svc over real HTTP: every endpoint (stores, menu items, list filters
# and cursor paging, ids=, health, metrics, HEAD), ETag on every read,
# If-Match required on every write (428, 412), racing edits, body and
# header limits, idle connections closed, and one event per committed
# write naming the fields that changed, never their values.
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

# req METHOD PATH [BODY] [curl args...]: as $AS (a token; default the
# operator's), sets STATUS, BODY, ETAG and the headers in $T/hdr. A BODY
# of @FILE sends the file.
req() {
	local m=$1 p=$2 b=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=(-sS -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$m" "$@")
	printf 'Authorization: Bearer %s\n' "${AS:-$OPERATOR_TOKEN}" >"$T/auth"
	args+=(-H "@$T/auth")
	[ -z "$b" ] || args+=(-H 'Content-Type: application/json' --data-binary "$b")
	STATUS=$(curl "${args[@]}" "$STORE_URL$p")
	BODY=$(cat "$T/body")
	ETAG=$(grep -i '^etag:' "$T/hdr" | tr -d '\r' | cut -d' ' -f2 || true)
}
field() { jq -r "$1" <<<"$BODY"; }

start_broker
start_store
writes=0
port=${STORE_URL##*:}

# An idle connection that never finishes its headers is closed after 10 s.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.1\r\nHost: x\r\n' >&3
idle_since=$SECONDS

# --- create, read, HEAD -----------------------------------------------
AS=$OWNER1_TOKEN req POST /stores '{"name":"가게","category":"korean","phone":"02-123-4567"}'
check 201 "$STATUS" "create as owner-1"
writes=$((writes + 1))
ID=$(field .id)
check owner-1 "$(field .owner)" "an owner's store is theirs without saying so"
check '"1"' "$ETAG" "etag on create"
grep -qi "^location: /stores/$ID" "$T/hdr" || check location missing "Location header"
check '0 0 []' "$(field '"\(.min_order) \(.delivery_fee) \(.menu)"')" "defaults"

FULL='{"owner":"owner-2","name":" 김밥천국 역삼점 ","category":"korean","phone":"02-555-0101",
 "address":{"road":"서울 강남구 테헤란로 123","detail":"1층","postal_code":"06236"},
 "area":"gangnam-yeoksam",
 "hours":{"mon":[{"open":"09:00","close":"15:00"},{"open":"17:00","close":"02:00"}],
  "tue":[{"open":"09:00","close":"21:00"}],"wed":[],"thu":[{"open":"00:00","close":"24:00"}],
  "fri":[{"open":"09:00","close":"21:00"}],"sat":[{"open":"10:00","close":"22:00"}],"sun":[]},
 "status":"paused","status_reason":"재료 소진","min_order":12000,"delivery_fee":3000,
 "description":"참치김밥이 맛있는 집\n포장 가능",
 "menu":[{"name":"참치김밥","price":4500,"description":"인기","groups":[
   {"name":"맵기","min":1,"max":1,"options":[{"name":"순한맛"},{"name":"매운맛","price":500}]}]},
  {"name":"라면","price":4000,"sold_out":true}]}'
req POST /stores "$FULL"
check 201 "$STATUS" "create the full model"
writes=$((writes + 1))
FID=$(field .id)
check '김밥천국 역삼점' "$(field .name)" "name trimmed"
check '[1,2]' "$(jq -c '[.menu[].id]' <<<"$BODY")" "menu item ids given out"
check '순한맛 0' "$(field '.menu[0].groups[0].options[0] | "\(.name) \(.price)"')" "option price default"
check false "$(field .menu[0].sold_out)" "sold_out default"
req GET "/stores/$FID"
check 200 "$STATUS" "get"
check '"1"' "$ETAG" "etag on get"
check '17:00-02:00' "$(field '.hours.mon[1] | "\(.open)-\(.close)"')" "overnight period kept"
check '06236' "$(field .address.postal_code)" "address"
check "$(jq -cS 'del(.version,.updated_at)' "$T/body")" \
	"$(AS='' req GET "/stores/$FID" && jq -cS 'del(.version,.updated_at)' "$T/body")" "GET is stable"
head_len=$(curl -sS -I -H "Authorization: Bearer $OPERATOR_TOKEN" "$STORE_URL/stores/$FID" |
	tr -d '\r' | awk -F': ' 'tolower($1) == "content-length" { print $2 }')
check "$(wc -c <"$T/body")" "$head_len" "HEAD answers the GET's length"

# --- If-Match is required; stale versions change nothing ----------------
req PATCH "/stores/$ID" '{"name":"가게 2"}'
check 428 "$STATUS" "PATCH without If-Match"
check If-Match "$(field .field)" "428 names If-Match"
req PUT "/stores/$ID" '{"owner":"owner-1","name":"x","category":"cafe","status":"open"}'
check 428 "$STATUS" "PUT without If-Match"
req DELETE "/stores/$ID"
check 428 "$STATUS" "DELETE without If-Match"
req PATCH "/stores/$ID" '{"name":"가게 2"}' -H 'If-Match: "1"'
check 200 "$STATUS" patch
check '"2"' "$ETAG" "etag after patch"
writes=$((writes + 1))
req PATCH "/stores/$ID" '{"name":"가게 2"}' -H 'If-Match: "2"'
check 200 "$STATUS" "no-op patch"
check '"2"' "$ETAG" "a no-op keeps the version (and sends no event)"
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: "1"'
check 412 "$STATUS" "stale If-Match"
check 2 "$(field .current_version)" current_version
check '"2"' "$ETAG" "412 carries the current ETag"
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: 2'
check 400 "$STATUS" "unquoted If-Match"
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: "1", "9"'
check 412 "$STATUS" "no version of the list matches"
req PATCH "/stores/$ID" '{"name":"x"}' -H 'If-Match: W/"2"'
check 412 "$STATUS" "a weak ETag never matches (strong comparison)"
req GET "/stores/$ID"
check '가게 2' "$(field .name)" "428, 412 and 400 change nothing"
req PUT "/stores/$ID" "$(jq -c '.status="closed"' <<<"$BODY")" -H 'If-Match: "2"'
check 200 "$STATUS" "PUT of what GET returned"
writes=$((writes + 1))
req PATCH "/stores/$ID" '{"status":"paused","status_reason":"휴가"}' -H 'If-Match: *'
check 200 "$STATUS" "If-Match: * (any version)"
writes=$((writes + 1))
req PATCH "/stores/$ID" '{"status":"open"}' -H 'If-Match: "4"'
check 'open null' "$(field '"\(.status) \(.status_reason)"')" "reopening drops the reason"
writes=$((writes + 1))
req PUT /stores/9999 '{"owner":"o","name":"n","category":"cafe","status":"open"}' -H 'If-Match: "1"'
check 404 "$STATUS" "PUT of an unknown store"
req PATCH "/stores/$ID" '{"menu":[{"name":"떡볶이","price":5000}],"min_order":10000}' -H 'If-Match: "5"'
check 200 "$STATUS" "patch a menu and a fee"
writes=$((writes + 1))

# --- menu items --------------------------------------------------------
req GET "/stores/$FID/menu"
check 200 "$STATUS" "get the menu"
check '"1" 2' "$ETAG $(field '.menu | length')" "menu with the store's ETag"
req POST "/stores/$FID/menu" '{"name":"쫄면","price":6000}'
check 428 "$STATUS" "add an item without If-Match"
req POST "/stores/$FID/menu" '{"name":"쫄면","price":6000}' -H 'If-Match: "1"'
check 201 "$STATUS" "add an item"
check '"2" 3' "$ETAG $(field .id)" "new item: id 3, store version 2"
grep -qi "^location: /stores/$FID/menu/3" "$T/hdr" || check location missing "item Location"
writes=$((writes + 1))
req GET "/stores/$FID/menu/3"
check '200 "2" 쫄면' "$STATUS $ETAG $(field .name)" "get an item"
req PATCH "/stores/$FID/menu/2" '{"sold_out":false,"price":4500}' -H 'If-Match: "2"'
check '200 false 4500' "$STATUS $(field .sold_out) $(field .price)" "patch an item"
writes=$((writes + 1))
req PUT "/stores/$FID/menu/1" '{"name":"참치김밥","price":5000}' -H 'If-Match: "3"'
check '200 null' "$STATUS $(field .groups)" "replace an item (groups gone)"
writes=$((writes + 1))
req PATCH "/stores/$FID/menu/1" '{"price":5005}' -H 'If-Match: "4"'
check '422 price step' "$STATUS $(field .field) $(field .rule)" "an item's rule"
req PATCH "/stores/$FID/menu/1" '{"id":7}' -H 'If-Match: "4"'
check '422 id read-only' "$STATUS $(field .field) $(field .rule)" "an item's id is the path's"
req PATCH "/stores/$FID/menu/1" '{"price":100}' -H 'If-Match: "3"'
check 412 "$STATUS" "stale item edit"
req DELETE "/stores/$FID/menu/3" '' -H 'If-Match: "4"'
check '204 "5"' "$STATUS $ETAG" "delete an item"
writes=$((writes + 1))
req GET "/stores/$FID/menu/3"
check '404 item' "$STATUS $(field .field)" "deleted item"
req DELETE "/stores/$FID/menu/3" '' -H 'If-Match: "5"'
check 404 "$STATUS" "delete a missing item"
req POST "/stores/$FID/menu" '{"name":"김밥","price":3000}' -H 'If-Match: "5"'
check 4 "$(field .id)" "ids are never given out twice"
writes=$((writes + 1))
req GET "/stores/$FID/menu/x"
check '400 item' "$STATUS $(field .field)" "bad item id"
req GET "/stores/$FID"
check '[1,2,4] 6' "$(jq -c '[.menu[].id]' <<<"$BODY") $(field .version)" "the store holds the items"

# --- delete, ids= ------------------------------------------------------
req DELETE "/stores/$ID" '' -H 'If-Match: "6"'
check 204 "$STATUS" delete
check '"7"' "$ETAG" "etag after delete"
writes=$((writes + 1))
req GET "/stores/$ID"
check '410 7' "$STATUS $(field .version)" "a deleted store is gone"
req DELETE "/stores/$ID" '' -H 'If-Match: "7"'
check 410 "$STATUS" "delete again"
req GET "/stores/$ID/menu"
check 410 "$STATUS" "the menu of a deleted store"
req GET "/stores?ids=$ID,$FID,777,$FID"
check 200 "$STATUS" "ids"
check "[$FID]" "$(jq -c '[.stores[].id]' <<<"$BODY")" "ids: live stores"
check "[{\"id\":$ID,\"version\":7}]" "$(jq -c .deleted <<<"$BODY")" "ids: deleted"
check '[777]' "$(jq -c .missing <<<"$BODY")" "ids: missing"
req GET "/stores?ids=$(seq -s, 1001)"
check 400 "$STATUS" "1001 ids"
req GET "/stores?ids=1,abc"
check '400 ids' "$STATUS $(field .field)" "a bad id"
grep -q abc <<<"$BODY" || check "abc named" "$BODY" "the bad id is named"
req GET "/stores?ids=1&area=x1"
check 400 "$STATUS" "ids with a filter"
req GET /stores/0
check '400 id' "$STATUS $(field .field)" "id 0"

# --- two clients edit the same version: exactly one wins ---------------
req POST /stores '{"owner":"owner-1","name":"r","category":"snack"}'
writes=$((writes + 1))
RID=$(field .id)
for i in $(seq 20); do
	curl -s -o /dev/null -w '%{http_code}\n' -X PATCH -H 'Content-Type: application/json' \
		-H "@$T/auth" -H 'If-Match: "1"' -d "{\"name\":\"r$i\"}" "$STORE_URL/stores/$RID" &
done >"$T/race"
wait $(jobs -p | grep -vxF -e "${PID_OF[broker]}" -e "${PID_OF[store]}") 2>/dev/null || true
check 1 "$(grep -c 200 "$T/race")" "one winner among 20 racing edits"
check 19 "$(grep -c 412 "$T/race")" "19 losers get 412"
writes=$((writes + 1))

# --- list: filters and cursor paging -----------------------------------
for i in $(seq 25); do
	area=$([ $((i % 2)) = 0 ] && echo mapo || echo gangnam-yeoksam)
	cat=$([ $((i % 5)) = 0 ] && echo pizza || echo cafe)
	req POST /stores "{\"owner\":\"bulk\",\"name\":\"벌크 $i\",\"category\":\"$cat\",\"area\":\"$area\",
		\"menu\":[{\"name\":\"메뉴$i 특선\",\"price\":1000}]}"
	[ "$STATUS" = 201 ] || check 201 "$STATUS" "bulk create $i"
done
writes=$((writes + 25))
ids=()
cursor=
pages=0
while :; do
	req GET "/stores?owner=bulk&limit=10${cursor:+&cursor=$cursor}"
	[ "$STATUS" = 200 ] || { check 200 "$STATUS" "page $pages"; break; }
	pages=$((pages + 1))
	mapfile -t -O "${#ids[@]}" ids < <(jq -r '.stores[].id' <<<"$BODY")
	cursor=$(field '.next_cursor // empty')
	[ -n "$cursor" ] && [ "$pages" -lt 10 ] || break
done
check '3 25' "$pages ${#ids[@]}" "25 stores in pages of 10"
check 25 "$(printf '%s\n' "${ids[@]}" | sort -un | wc -l)" "no store twice across pages"
req GET "/stores?owner=bulk&area=mapo"
check 12 "$(field '.stores | length')" "area filter"
req GET "/stores?owner=bulk&category=pizza&area=gangnam-yeoksam"
check '[5,15,25]' "$(jq -c '[.stores[].name | ltrimstr("벌크 ") | tonumber]' <<<"$BODY")" "category and area"
req GET "/stores?status=paused"
check "[$FID]" "$(jq -c '[.stores[].id]' <<<"$BODY")" "status filter"
req GET "/stores?text=$(jq -rn '"메뉴1 특"|@uri')"
check 1 "$(field '.stores | length')" "text matches a menu item's name"
req GET "/stores?text=$(jq -rn '"천국 역삼"|@uri')"
check "[$FID]" "$(jq -c '[.stores[].id]' <<<"$BODY")" "text matches a Korean substring of a name"
req GET "/stores?text=100%25_"
check 0 "$(field '.stores | length')" "% and _ are literal in text"
for bad in 'area=A!' 'category=thai' 'status=maybe' 'limit=0' 'limit=1001' 'cursor=zz' \
	'owner=Bad%20Owner' 'text=' "text=$(printf '%051d' 0)" 'after=x'; do
	req GET "/stores?$bad"
	check "400 ${bad%%=*}" "$STATUS $(field .field)" "bad list argument $bad"
done

# --- limits ------------------------------------------------------------
{ printf '{"owner":"o1","category":"cafe","name":"'; head -c 270000 /dev/zero | tr '\0' a; printf '"}'; } >"$T/big"
req POST /stores "@$T/big"
check 413 "$STATUS" "body over 256 KiB"
req GET /stores '' -H "X-Filler: $(head -c 20000 /dev/zero | tr '\0' a)"
check "431 431" "$STATUS $(field .status)" "headers over 16 KiB"
req POST /stores '{"owner":"o1","name":"x","category":"cafe","owner":"o2"}'
check 400 "$STATUS" "duplicate member"
req POST /stores '{"owner":"o1","name":"x","category":"cafe"}' -H 'Content-Type: text/plain'
check 415 "$STATUS" "not JSON"

# --- health and metrics ------------------------------------------------
outbox_drained() { curl -sf "$STORE_URL/health" | jq -e '.outbox_pending == 0 and .broker == "ok"'; }
wait_until 10 outbox_drained
curl -sf "$STORE_URL/health" >"$T/health" || check 200 fail "/health without a token"
check 'ok true ok ok enforced' "$(jq -r '"\(.status) \(.ready) \(.database) \(.broker) \(.auth)"' "$T/health")" "health"
req GET /metrics
check 200 "$STATUS" metrics
grep -qi '^content-type: text/plain; version=0.0.4' "$T/hdr" || check "prometheus type" "$(grep -i content-type "$T/hdr")" "metrics type"
metric() { awk -v k="$1" '$1 == k { print $2 }' "$T/body"; }
check 28 "$(metric 'http_requests_total{method="POST",route="/stores",status="201"}')" "creates counted"
check 1 "$(metric 'http_requests_total{method="POST",route="/stores",status="413"}')" "413 counted"
check 19 "$(metric 'http_requests_total{method="PATCH",route="/stores/{id}",status="412"}' | awk '{ print ($1 >= 19) ? 19 : $1 }')" "412s counted"
check "$writes" "$(metric store_events_published_total)" "events published"
check 0 "$(metric store_outbox_pending_rows)" "outbox pending"
check 1 "$(metric store_auth_enforced)" "auth enforced"
grep -q '^http_request_duration_seconds_bucket{method="GET",route="/stores/{id}",le="+Inf"} ' "$T/body" ||
	check histogram missing "latency histogram"

# --- events ------------------------------------------------------------
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q -f '%k %s\n' >"$T/events"
check "$writes" "$(wc -l <"$T/events")" "one event per committed write"
check 0 "$(cut -d' ' -f2- "$T/events" | jq -r '"\(.store_id) \(.version)"' |
	awk '{ if ($1 in v && $2 != v[$1] + 1) bad++; v[$1] = $2 } END { print bad + 0 }')" \
	"versions rise by one per store"
check 0 "$(awk '{ split($2, a, "\"store_id\":"); if ($1 != a[2] + 0) bad++ } END { print bad + 0 }' "$T/events")" \
	"the key is the store id"
ev() { cut -d' ' -f2- "$T/events" | jq -c --argjson id "$1" --argjson v "$2" 'select(.store_id == $id and .version == $v) | .fields'; }
check '["name"]' "$(ev "$ID" 2)" "fields of a rename"
check '["status"]' "$(ev "$ID" 5)" "fields of reopening"
check '["min_order","menu"]' "$(ev "$ID" 6)" "fields of a menu and fee patch"
check '["menu"]' "$(ev "$FID" 2)" "fields of an item added"
ev "$FID" 1 | jq -e 'index("hours") and index("address") and index("area") and index("menu")' >/dev/null ||
	check "every held field" "$(ev "$FID" 1)" "fields of a created store"
! grep -q -e '김밥' -e '가게' -e '12000' "$T/events" || check "no values" "$(head -c 300 "$T/events")" "events carry no values"

# --- the idle connection -----------------------------------------------
while [ $((SECONDS - idle_since)) -lt 12 ]; do sleep 0.5; done
if timeout 3 cat <&3 >"$T/idle"; then :; else check closed "open" "idle connection closed after 10 s"; fi
exec 3<&-

[ "$fails" -eq 0 ] || fail "$fails checks failed"
log ok
