#!/usr/bin/env bash
# ads-svc: campaigns are checked (each rule named), belong to stores that
# exist, and GET /ads lists the open stores with a running campaign in the
# area, highest bid first; closing, deleting or ending takes a store off,
# scheduled campaigns wait their start.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

start_broker
start_store
start_ads

create() {
	api POST "$STORE_URL/stores" "$1"
	[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
	jq -r .id <<<"$BODY"
}
A=$(create '{"owner":"owner-1","name":"김밥천국","category":"korean","area":"gangnam","status":"open"}')
B=$(create '{"owner":"owner-1","name":"교촌치킨","category":"chicken","area":"gangnam","status":"open"}')
C=$(create '{"owner":"owner-2","name":"을밀대","category":"korean","area":"mapo","status":"open"}')

now=$(date -u +%s)
iso() { date -u -d "@$((now + $1))" +%Y-%m-%dT%H:%M:%SZ; }
campaign() { # STORE AREA BID [STARTS_IN_S]
	api POST "$ADS_URL/campaigns" \
		"{\"store_id\":$1,\"area\":\"$2\",\"bid\":$3,\"starts_at\":\"$(iso "${4:--60}")\",\"ends_at\":\"$(iso 7200)\"}"
}

# Bad campaigns: 422 naming the member and the rule, 400 for bad JSON.
refused() { # BODY FIELD RULE
	api POST "$ADS_URL/campaigns" "$1"
	[ "$STATUS" = 422 ] && [ "$(jq -r .field <<<"$BODY")" = "$2" ] && [ "$(jq -r .rule <<<"$BODY")" = "$3" ] ||
		fail "campaign $1: want 422 $2/$3, got $STATUS $BODY"
}
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":100}" ends_at required
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":0,\"ends_at\":\"$(iso 60)\"}" bid range
refused "{\"store_id\":$A,\"area\":\"Gangnam\",\"bid\":10,\"ends_at\":\"$(iso 60)\"}" area pattern
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":10,\"ends_at\":\"tomorrow\"}" ends_at format
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":10,\"starts_at\":\"$(iso 120)\",\"ends_at\":\"$(iso 60)\"}" ends_at order
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":10,\"ends_at\":\"$(iso -60)\"}" ends_at range
refused "{\"store_id\":$A,\"area\":\"gangnam\",\"bid\":10,\"ends_at\":\"$(iso 60)\",\"budget\":5}" budget unknown
refused "{\"store_id\":\"$A\",\"area\":\"gangnam\",\"bid\":10,\"ends_at\":\"$(iso 60)\"}" store_id type
refused "{\"store_id\":999999,\"area\":\"gangnam\",\"bid\":10,\"ends_at\":\"$(iso 60)\"}" store_id exists
api POST "$ADS_URL/campaigns" '{"store_id":'
[ "$STATUS" = 400 ] || fail "malformed JSON answered $STATUS"
[ "$(curl -sf "$ADS_URL/campaigns" | jq '.campaigns | length')" = 0 ] || fail "a refused campaign was stored"

# Campaigns (the store may be new to ads-svc's copy: it asks the store API).
campaign "$A" gangnam 1000
[ "$STATUS" = 201 ] || fail "campaign A: $STATUS $BODY"
ca=$(jq -r .id <<<"$BODY")
jq -e '.status == "active" and .ended_at == null' <<<"$BODY" >/dev/null || fail "campaign A: $BODY"
campaign "$B" gangnam 3000
[ "$STATUS" = 201 ] || fail "campaign B: $STATUS $BODY"
campaign "$C" mapo 5000
[ "$STATUS" = 201 ] || fail "campaign C: $STATUS $BODY"
campaign "$A" gangnam 9000 3600 # scheduled: starts in an hour
[ "$STATUS" = 201 ] && [ "$(jq -r .status <<<"$BODY")" = scheduled ] || fail "scheduled campaign: $STATUS $BODY"

ads() { curl -sf "$ADS_URL/ads?$1" | jq -c .ids; }
ads_are() { [ "$(ads "$1")" = "$2" ]; }
wait_converged 30 "$A" "$B" "$C"
ads_are area=gangnam "[$B,$A]" || fail "gangnam: $(ads area=gangnam)"
ads_are 'area=gangnam&category=korean' "[$A]" || fail "gangnam korean: $(ads 'area=gangnam&category=korean')"
ads_are '' "[$C,$B,$A]" || fail "everywhere: $(ads '')"
ads_are 'area=gangnam&limit=1' "[$B]" || fail "limit 1: $(ads 'area=gangnam&limit=1')"
ads_are area=jongno '[]' || fail "jongno: $(ads area=jongno)"
api GET "$ADS_URL/ads?area=Gangnam"
[ "$STATUS" = 400 ] && [ "$(jq -r .field <<<"$BODY")" = area ] || fail "bad area: $STATUS $BODY"
api GET "$ADS_URL/ads?limit=0"
[ "$STATUS" = 400 ] && [ "$(jq -r .field <<<"$BODY")" = limit ] || fail "bad limit: $STATUS $BODY"

# A closed store is not advertised; open again, it is.
patch() {
	api PATCH "$STORE_URL/stores/$1" "$2" -H 'If-Match: *'
	[ "$STATUS" = 200 ] || fail "patch $1 answered $STATUS: $BODY"
}
patch "$B" '{"status":"closed"}'
wait_until 10 ads_are area=gangnam "[$A]"
patch "$B" '{"status":"open"}'
wait_until 10 ads_are area=gangnam "[$B,$A]"

# Ending a campaign: by hand, once; an unknown one is 404.
api POST "$ADS_URL/campaigns/$ca/end"
[ "$STATUS" = 200 ] && [ "$(jq -r .status <<<"$BODY")" = ended ] || fail "end: $STATUS $BODY"
ended_at=$(jq -r .ended_at <<<"$BODY")
api POST "$ADS_URL/campaigns/$ca/end"
[ "$STATUS" = 200 ] && [ "$(jq -r .ended_at <<<"$BODY")" = "$ended_at" ] || fail "second end moved it: $BODY"
ads_are area=gangnam "[$B]" || fail "after the end: $(ads area=gangnam)"
api POST "$ADS_URL/campaigns/999999/end"
[ "$STATUS" = 404 ] || fail "unknown campaign ended: $STATUS"
curl -sf "$ADS_URL/campaigns?store_id=$A" |
	jq -e '[.campaigns[].status] == ["scheduled", "ended"]' >/dev/null ||
	fail "A's campaigns: $(curl -s "$ADS_URL/campaigns?store_id=$A")"

# A deleted store leaves the ads and gets no new campaign.
api DELETE "$STORE_URL/stores/$C" '' -H 'If-Match: *'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "delete answered $STATUS: $BODY"
wait_until 10 ads_are '' "[$B]"
campaign "$C" mapo 100
[ "$STATUS" = 422 ] && [ "$(jq -r .rule <<<"$BODY")" = deleted ] || fail "campaign of a deleted store: $STATUS $BODY"

grep -q '^storectl_ads_active_campaigns 2$' <<<"$(curl -sf "$ADS_URL/metrics")" ||
	fail "metrics: $(curl -s "$ADS_URL/metrics" | grep storectl_ads)"
stop_downstream
log ok
