#!/usr/bin/env bash
# Every validation rule of store-svc with a bad request: the answer is 400
# (malformed) or 422 (a rule) as application/problem+json naming the field
# and the rule, and nothing changes: the store keeps its version and body,
# no store is created, no event is published.
. "$(dirname "$0")/../lib.sh"

fails=0
cases=0
note() {
	log "FAIL $*"
	fails=$((fails + 1))
}

# rep N TEXT: TEXT repeated N times.
rep() { local s; printf -v s '%*s' "$1" ''; printf '%s' "${s// /$2}"; }

start_broker
start_store
API_TOKEN=$OPERATOR_TOKEN

BASE='{"owner":"owner-1","name":"김밥천국","category":"korean","phone":"02-555-0101",
 "address":{"road":"서울 강남구 테헤란로 123","postal_code":"06236"},"area":"gangnam",
 "hours":{"mon":[{"open":"09:00","close":"21:00"}],"tue":[],"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]},
 "status":"open","min_order":12000,"delivery_fee":3000,"description":"맛집",
 "menu":[{"name":"김밥","price":3000,"groups":[{"name":"맵기","options":[{"name":"순한맛"},{"name":"매운맛"}]}]}]}'
api POST "$STORE_URL/stores" "$BASE"
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
ID=$(jq -r .id <<<"$BODY")
jq -S . <<<"$BODY" >"$T/before"

# bad METHOD PATH BODY STATUS FIELD RULE: the request is refused as said,
# as problem+json, and the store is as it was.
bad() {
	local method=$1 path=$2 body=$3 want=$4 field=$5 rule=$6
	cases=$((cases + 1))
	printf '%s' "$body" >"$T/req.json"
	printf 'Authorization: Bearer %s\n' "$OPERATOR_TOKEN" >"$T/auth"
	STATUS=$(curl -sS -o "$T/resp" -D "$T/hdr" -w '%{http_code}' -X "$method" \
		-H "@$T/auth" -H 'Content-Type: application/json' -H 'If-Match: "1"' \
		--data-binary "@$T/req.json" "$STORE_URL$path")
	local got_field got_rule
	got_field=$(jq -r '.field // "-"' "$T/resp" 2>/dev/null)
	got_rule=$(jq -r '.rule // "-"' "$T/resp" 2>/dev/null)
	if [ "$STATUS" != "$want" ] || { [ "$field" != - ] && [ "$got_field" != "$field" ]; } ||
		{ [ "$rule" != - ] && [ "$got_rule" != "$rule" ]; }; then
		note "$method $path $(head -c 120 "$T/req.json"): want $want $field $rule, got $STATUS $got_field $got_rule: $(jq -r .detail "$T/resp" 2>/dev/null)"
		return
	fi
	grep -qi '^content-type: application/problem+json' "$T/hdr" || note "$method $path: not problem+json"
	[ "$(jq -r .detail "$T/resp")" != null ] || note "$method $path: no detail"
}

unchanged() {
	api GET "$STORE_URL/stores/$ID"
	jq -S . <<<"$BODY" | cmp -s - "$T/before" || note "store $ID changed: $BODY"
	api GET "$STORE_URL/stores"
	[ "$(jq '.stores | length' <<<"$BODY")" = 1 ] || note "a store was created: $(jq -c '[.stores[].id]' <<<"$BODY")"
}

P=/stores/$ID
# patch BODY FIELD RULE: a PATCH of the store that breaks FIELD's RULE.
patch() { bad PATCH "$P" "$1" 422 "$2" "$3"; }
hours() { # a week whose Monday is $1 (and Tuesday $2)
	printf '{"hours":{"mon":%s,"tue":%s,"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]}}' "$1" "${2:-[]}"
}
menu() { printf '{"menu":[%s]}' "$1"; }
group() { printf '{"name":"김밥","price":3000,"groups":[%s]}' "$1"; }

# --- malformed requests: 400 (415) -------------------------------------
bad PATCH "$P" 'not json' 400 - -
bad PATCH "$P" '[1,2]' 400 - -
bad PATCH "$P" '' 400 - -
bad PATCH "$P" '{"name":"a","name":"b"}' 400 - -
bad PATCH "$P" "$(printf '{"name":"\xff"}')" 400 - -
bad PATCH "$P" '{"name":"a\u0000b"}' 400 - -
bad PATCH /stores/abc '{}' 400 id -
cases=$((cases + 2))
st=$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H "@$T/auth" -H 'Content-Type: text/plain' \
	-H 'If-Match: "1"' -d '{"name":"x"}' "$STORE_URL$P")
[ "$st" = 415 ] || note "text/plain body: want 415, got $st"
st=$(curl -sS -o "$T/resp" -w '%{http_code}' -X PATCH -H "@$T/auth" -H 'Content-Type: application/json' \
	-H 'If-Match: 1' -d '{"name":"x"}' "$STORE_URL$P")
[ "$st $(jq -r .field "$T/resp")" = "400 If-Match" ] || note "unquoted If-Match: $st $(cat "$T/resp")"

# --- owner, name, category, phone --------------------------------------
patch '{"owner":null}' owner required
patch '{"owner":7}' owner type
patch '{"owner":""}' owner length
patch "{\"owner\":\"$(rep 65 a)\"}" owner length
patch '{"owner":"Owner 1"}' owner pattern
patch '{"name":null}' name required
patch '{"name":5}' name type
patch '{"name":""}' name blank
patch '{"name":" \u3000 "}' name blank
patch "{\"name\":\"$(rep 51 가)\"}" name length
patch '{"name":"a\tb"}' name control
patch '{"name":"a\nb"}' name control
patch '{"name":"a\u0085b"}' name control
patch '{"category":null}' category required
patch '{"category":"thai"}' category enum
patch '{"category":"Korean"}' category enum
patch '{"phone":"123"}' phone pattern
patch '{"phone":"02-12-4567"}' phone pattern
patch '{"phone":"010-1234-56789"}' phone pattern
patch '{"phone":2123456}' phone type

# --- address, area -----------------------------------------------------
patch '{"address":"서울"}' address type
patch '{"address":{"road":null,"postal_code":"06236"}}' address.road required
patch '{"address":{"road":"  "}}' address.road blank
patch "{\"address\":{\"road\":\"$(rep 101 길)\"}}" address.road length
patch "{\"address\":{\"detail\":\"$(rep 101 층)\"}}" address.detail length
patch '{"address":{"postal_code":"1234"}}' address.postal_code pattern
patch '{"address":{"postal_code":"12a45"}}' address.postal_code pattern
patch '{"address":{"zip":"06236"}}' address.zip unknown
patch '{"area":"g"}' area length
patch "{\"area\":\"$(rep 33 a)\"}" area length
patch '{"area":"Gangnam"}' area pattern
patch '{"area":"-gangnam"}' area pattern
patch '{"area":5}' area type

# --- hours -------------------------------------------------------------
patch '{"hours":"9-21"}' hours type
patch '{"hours":{"mon":null}}' hours.mon required
patch '{"hours":{"sun":null}}' hours.sun required
patch '{"hours":{"xyz":[]}}' hours.xyz unknown
patch "$(hours '"9-21"')" hours.mon type
patch "$(hours '[{"open":"01:00","close":"02:00"},{"open":"03:00","close":"04:00"},{"open":"05:00","close":"06:00"},{"open":"07:00","close":"08:00"}]')" hours.mon length
patch "$(hours '["09:00"]')" 'hours.mon[0]' type
patch "$(hours '[{"open":"09:00"}]')" 'hours.mon[0].close' required
patch "$(hours '[{"open":"9:00","close":"21:00"}]')" 'hours.mon[0].open' format
patch "$(hours '[{"open":"24:00","close":"21:00"}]')" 'hours.mon[0].open' format
patch "$(hours '[{"open":"09:00","close":"24:01"}]')" 'hours.mon[0].close' format
patch "$(hours '[{"open":"09:60","close":"21:00"}]')" 'hours.mon[0].open' format
patch "$(hours '[{"open":9,"close":"21:00"}]')" 'hours.mon[0].open' type
patch "$(hours '[{"open":"09:00","close":"21:00","note":"x"}]')" 'hours.mon[0].note' unknown
patch "$(hours '[{"open":"09:00","close":"09:00"}]')" 'hours.mon[0]' empty
patch "$(hours '[{"open":"22:00","close":"02:00"},{"open":"03:00","close":"04:00"}]')" 'hours.mon[0]' order
patch "$(hours '[{"open":"12:00","close":"14:00"},{"open":"09:00","close":"11:00"}]')" 'hours.mon[1]' order
patch "$(hours '[{"open":"09:00","close":"14:00"},{"open":"13:00","close":"20:00"}]')" 'hours.mon[1]' overlap
patch "$(hours '[{"open":"18:00","close":"03:00"}]' '[{"open":"02:00","close":"10:00"}]')" 'hours.tue[0]' overlap

# --- status, status_reason ---------------------------------------------
patch '{"status":null}' status required
patch '{"status":"maybe"}' status enum
patch '{"status":true}' status type
patch '{"status":"paused"}' status_reason required
patch '{"status":"paused","status_reason":"  "}' status_reason blank
patch "{\"status\":\"paused\",\"status_reason\":\"$(rep 101 휴)\"}" status_reason length
patch '{"status_reason":"why not"}' status_reason forbidden

# --- money -------------------------------------------------------------
patch '{"min_order":-10}' min_order range
patch '{"min_order":1000010}' min_order range
patch '{"min_order":12005}' min_order step
patch '{"min_order":1.5}' min_order type
patch '{"min_order":"12000"}' min_order type
patch '{"delivery_fee":100010}' delivery_fee range
patch '{"delivery_fee":5}' delivery_fee step
patch '{"delivery_fee":-1}' delivery_fee range

# --- description -------------------------------------------------------
patch "{\"description\":\"$(rep 501 맛)\"}" description length
patch '{"description":"a\u0001b"}' description control
patch '{"description":"a\r\nb"}' description control
patch '{"description":5}' description type

# --- menu --------------------------------------------------------------
patch '{"menu":"김밥"}' menu type
patch "{\"menu\":[$(rep 200 '{"name":"x","price":10},'){\"name\":\"y\",\"price\":10}]}" menu length
patch "$(menu '"김밥"')" 'menu[0]' type
patch "$(menu '{"price":1000}')" 'menu[0].name' required
patch "$(menu '{"name":"","price":1000}')" 'menu[0].name' blank
patch "$(menu "{\"name\":\"$(rep 51 밥)\",\"price\":1000}")" 'menu[0].name' length
patch "$(menu '{"name":"김밥"}')" 'menu[0].price' required
patch "$(menu '{"name":"김밥","price":-10}')" 'menu[0].price' range
patch "$(menu '{"name":"김밥","price":1000010}')" 'menu[0].price' range
patch "$(menu '{"name":"김밥","price":1005}')" 'menu[0].price' step
patch "$(menu '{"name":"김밥","price":"1000"}')" 'menu[0].price' type
patch "$(menu '{"name":"김밥","price":1000,"sold_out":"yes"}')" 'menu[0].sold_out' type
patch "$(menu "{\"name\":\"김밥\",\"price\":1000,\"description\":\"$(rep 201 맛)\"}")" 'menu[0].description' length
patch "$(menu '{"name":"김밥","price":1000,"colour":"red"}')" 'menu[0].colour' unknown
patch "$(menu '{"id":99,"name":"김밥","price":1000}')" 'menu[0].id' read-only
patch "$(menu '{"id":1,"name":"김밥","price":1000},{"id":1,"name":"밥","price":1000}')" 'menu[1].id' duplicate
patch "$(menu '{"name":"김밥","price":1000,"groups":"맵기"}')" 'menu[0].groups' type
patch "$(menu "$(group "$(rep 10 '{"name":"g","options":[{"name":"o"}]},'){\"name\":\"h\",\"options\":[{\"name\":\"o\"}]}")")" 'menu[0].groups' length
patch "$(menu "$(group '{"name":"맵기"}')")" 'menu[0].groups[0].options' required
patch "$(menu "$(group '{"name":"맵기","options":[]}')")" 'menu[0].groups[0].options' length
patch "$(menu "$(group '{"name":" ","options":[{"name":"o"}]}')")" 'menu[0].groups[0].name' blank
patch "$(menu "$(group '{"name":"맵기","min":2,"max":1,"options":[{"name":"a"},{"name":"b"}]}')")" 'menu[0].groups[0].min' range
patch "$(menu "$(group '{"name":"맵기","max":3,"options":[{"name":"a"},{"name":"b"}]}')")" 'menu[0].groups[0].max' range
patch "$(menu "$(group '{"name":"맵기","max":0,"options":[{"name":"a"}]}')")" 'menu[0].groups[0].max' range
patch "$(menu "$(group '{"name":"맵기","min":-1,"options":[{"name":"a"}]}')")" 'menu[0].groups[0].min' range
patch "$(menu "$(group '{"name":"맵기","options":[{"name":"a"},{"name":"a"}]}')")" 'menu[0].groups[0].options[1].name' duplicate
patch "$(menu "$(group '{"name":"g","options":[{"name":"a"}]},{"name":"g","options":[{"name":"a"}]}')")" 'menu[0].groups[1].name' duplicate
patch "$(menu "$(group '{"name":"맵기","options":[{"name":"a","price":15}]}')")" 'menu[0].groups[0].options[0].price' step
patch "$(menu "$(group '{"name":"맵기","options":[{"name":"a","price":100010}]}')")" 'menu[0].groups[0].options[0].price' range
patch "$(menu "$(group '{"name":"맵기","options":[{"name":"a","extra":1}]}')")" 'menu[0].groups[0].options[0].extra' unknown
patch "$(menu "$(group '{"name":"맵기","size":1,"options":[{"name":"a"}]}')")" 'menu[0].groups[0].size' unknown

# --- read-only and unknown members -------------------------------------
patch '{"id":999}' id read-only
patch '{"id":null}' id read-only
patch '{"version":5}' version read-only
patch '{"created_at":"2020-01-01T00:00:00.000Z"}' created_at read-only
patch '{"colour":"red"}' colour unknown

# --- POST and PUT: required members ------------------------------------
bad POST /stores '{"name":"x","category":"cafe"}' 422 owner required
bad POST /stores '{"owner":"owner-1","category":"cafe"}' 422 name required
bad POST /stores '{"owner":"owner-1","name":"x"}' 422 category required
bad POST /stores '{"owner":"owner-1","name":"x","category":"cafe","id":5}' 422 id read-only
bad POST /stores '{"owner":"owner-1","name":"x","category":"cafe","menu":[{"id":1,"name":"a","price":10}]}' 422 'menu[0].id' read-only
bad PUT "$P" '{"owner":"owner-1","name":"x","category":"cafe"}' 422 status required

# --- the menu item endpoints -------------------------------------------
bad POST "$P/menu" '{"price":1000}' 422 name required
bad POST "$P/menu" '{"name":"라면","price":1005}' 422 price step
bad POST "$P/menu" '{"name":"라면","price":1000,"id":2}' 422 id read-only
bad PUT "$P/menu/1" '{"name":"라면"}' 422 price required
bad PATCH "$P/menu/1" '{"groups":[{"name":"g","options":[]}]}' 422 'groups[0].options' length
bad PATCH "$P/menu/1" '{"name":null}' 422 name required
bad PATCH "$P/menu/9" '{"price":10}' 404 item -

# Every violation is reported, not only the first.
cases=$((cases + 1))
api PATCH "$STORE_URL$P" '{"name":"","category":"thai","min_order":5,"colour":1}' -H 'If-Match: "1"'
[ "$(jq -c '[.errors[].field]' <<<"$BODY")" = '["name","category","min_order","colour"]' ] ||
	note "every violation listed: $(jq -c '[.errors[].field]' <<<"$BODY")"

unchanged
kcat -b "$BROKERS" -C -t store.events -o beginning -e -q >"$T/events"
[ "$(wc -l <"$T/events")" = 1 ] || note "events after refused writes: $(wc -l <"$T/events") (want only the creation)"

[ "$fails" -eq 0 ] || fail "$fails of $cases cases failed"
log "ok ($cases cases)"
