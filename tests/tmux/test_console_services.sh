#!/usr/bin/env bash
# The Services screen against the whole stack: each service's health,
# consumer lag, breaker and reactions per second; Enter shows the
# partitions. The console survives a stopped service: a hung ads-svc
# shows as DOWN while keys keep working, the ripple of a change says ads
# has not reacted, and once ads-svc runs again it catches up; a killed one
# is DOWN too, and quitting does not wait for either.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"
. "$(dirname "$0")/../lib_display.sh"
. "$(dirname "$0")/console_lib.sh"

start_broker
start_store
start_downstream
start_display

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"Service Check","category":"cafe","area":"mapo"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
wait_assigned search ads favorites reviews

console_start --store-api "$STORE_URL" --search-api "$SEARCH_URL" \
	--ads-api "$ADS_URL" --favorites-api "$FAVORITES_URL" \
	--reviews-api "$REVIEWS_URL" --display-api "$DISPLAY_URL" \
	--brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 "^ +$id Service Check "
keys :
type_text serv
keys Tab Enter
wait_screen 5 '^ Services - '
wait_screen 5 '^SERVICE +HEALTH +LAG BREAKER +REACTIONS/S \(20 s\) +LAST ERROR$'
wait_screen 10 '^store +ok +ob 0 +- '
for name in search ads favorites reviews display; do
	wait_screen 20 "^$name +ok +0 +closed +[_.=+*#-]{20} [0-9]+"
done
wait_screen 5 '^ Services - 6 of 6 ok'

# Reactions per second: a burst of changes shows on the sparkline.
for v in 1 2 3; do
	api PATCH "$STORE_URL/stores/$id" "{\"description\":\"change $v\"}" -H "If-Match: \"$v\""
	[ "$STATUS" = 200 ] || fail "patch answered $STATUS: $BODY"
done
wait_screen 10 '^display +ok +[0-9]+ +closed +_*[.=+*#-][_.=+*#-]* [0-9]+'

# Enter: the partitions of search-svc's group, committed against high.
keys j Enter
wait_screen 5 '^ search: GET /health answered in'
wait_screen 5 '^ consumer running; events [0-9]+, applied [0-9]+, failed 0'
wait_screen 5 '^ p0 [-0-9]+/[0-9]+ lag [0-9]+ +p1 '

# ads-svc hangs: DOWN after the console's 3 s budget, keys keep working.
kill -STOP "${PID_OF[ads]}"
at_exit "kill -CONT ${PID_OF[ads]} 2>/dev/null"
wait_screen 15 '^ads +DOWN +- +- .*(Timeout|timed out)'
keys :
type_text stores
keys Enter
wait_screen 2 "^ +$id Service Check "
# A change now: four services react, ads does not.
keys G c
wait_screen 15 'closed v5: propagated to 4/5 services in [0-9.]+ ms; pending: ads'
wait_screen 15 'closed v5: propagated to 4/5 services .*; no reaction after 1[0-9] s from ads'
# ads-svc runs again and catches up from its committed offset.
kill -CONT "${PID_OF[ads]}"
wait_screen 30 'closed v5: propagated to 5/5 services in'
keys :
type_text services
keys Enter
wait_screen 15 '^ads +ok +0 +closed '

# favorites-svc is killed: refused connections are DOWN at once.
stop_proc favorites KILL
wait_screen 15 '^favorites +DOWN +- +- .*(refused|connect)'
wait_screen 5 '^ Services - 5 of 6 ok'
start=$SECONDS
keys q
console_quit_check
[ $((SECONDS - start)) -le 3 ] || fail "quitting took $((SECONDS - start))s"
log "ok"
