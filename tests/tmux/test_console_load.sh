#!/usr/bin/env bash
# Under a flood of records the console keeps answering keys and its memory
# stays bounded: 40,000 events and 80,000 reactions arrive as fast as kcat
# produces them; keys switch screens within a second meanwhile, the Stream
# keeps the newest 2,000 rows, and the resident size stays far from what
# keeping everything would take.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

command -v kcat >/dev/null || fail "kcat is not installed"
start_broker

events=40000
at=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
# Keys are the store id (one partition per store, as store-svc does).
awk -v n="$events" -v at="$at" 'BEGIN {
	for (i = 0; i < n; i++) {
		s = i % 500 + 1; v = int(i / 500) + 1
		printf "%d\t{\"event_id\":\"e%d\",\"store_id\":%d,\"type\":\"updated\",\"version\":%d,\"fields\":[\"name\"],\"at\":\"%s\"}\n", s, i, s, v, at
	}
}' >"$T/events.txt"
awk -v n="$events" -v at="$at" 'BEGIN {
	split("search display", svc, " ")
	for (i = 0; i < n; i++) {
		s = i % 500 + 1; v = int(i / 500) + 1
		for (k = 1; k <= 2; k++)
			printf "%d\t{\"service\":\"%s\",\"store_id\":%d,\"event_version\":%d,\"applied_version\":%d,\"action\":\"applied\",\"coalesced\":1,\"took_ms\":0.5,\"lag_ms\":2.5,\"error\":null,\"at\":\"%s\"}\n", s, svc[k], s, v, v, at
	}
}' >"$T/reactions.txt"

console_start --store-api http://127.0.0.1:1 --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 10 '^ storectl \| .*kafka [^ ]* ?live'
keys :
type_text stream
keys Enter
wait_screen 5 '^ Stream - following - 0 events'
pid=$(console_pid) || fail "no console process"
rss_before=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")

# Reactions follow their events, as the services produce them.
(
	kcat -P -b "$BROKERS" -t store.events -K $'\t' -l "$T/events.txt" &&
	kcat -P -b "$BROKERS" -t store.reactions -K $'\t' -l "$T/reactions.txt"
) 2>/dev/null &
p1=$!

# While the flood comes in, keys still switch screens at once.
wait_screen 10 '^ Stream - following - [0-9]+ events'
for round in 1 2 3; do
	start=$(date +%s%N)
	keys :
	type_text stores
	keys Enter
	wait_screen 5 '^ Stores - '
	keys :
	type_text stream
	keys Enter
	wait_screen 5 '^ Stream - '
	ms=$((($(date +%s%N) - start) / 1000000))
	log "round $round: two screen switches in ${ms} ms"
	[ "$ms" -lt 2000 ] || fail "keys took ${ms} ms under load"
done
wait "$p1" || fail "kcat could not produce the records"

# Everything read: the newest 2,000 rows, joined with their reactions.
wait_screen 60 '^ Stream - following - 2000 events$'
wait_screen 20 "^[0-9:]+ +[0-9]+ upd +$((events / 500)) name +ok [0-9]ms( +(\.\.\.|-)){3} +ok [0-9]ms"
rss_after=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
log "resident: ${rss_before} kB before, ${rss_after} kB after $((events * 3)) records"
# (AddressSanitizer keeps freed memory in quarantine: no bound there.)
if ! grep -q __asan_init "$BIN/storectl"; then
	[ "$rss_after" -lt $((rss_before + 60000)) ] ||
		fail "memory grew from ${rss_before} kB to ${rss_after} kB"
fi
# The reactions per second of the flood are on the Services screen.
keys :
type_text services
keys Enter
wait_screen 5 '^search +no URL +- +- +[_.=+*#-]*[.=+*#-][_.=+*#-]* [0-9]+'
keys q
console_quit_check
log "ok"
