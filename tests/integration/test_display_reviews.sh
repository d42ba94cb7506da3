#!/usr/bin/env bash
# Reviews reach the documents: reviews-svc publishes zero-payload
# review.events, display-svc fetches the store's summary and puts it into
# the document (count, average, version), and says so on store.reactions
# (service display, source review.events). A poison message goes to the
# DLQ and the consumer keeps going; replayed events (reordered, twice)
# change nothing. While reviews-svc is down, display-svc
# keeps its offsets and retries, and catches up when reviews-svc returns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_display.sh"

[ -x "$BIN/reviews-svc" ] || fail "reviews-svc is not built"
start_broker
start_store
start_reviews
start_display

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"리뷰 맛집","category":"korean","status":"open","area":"gangnam"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
wait_until 20 doc_of "$id"

review() {
	local tries=0
	# reviews-svc may not have consumed the store yet; it then asks store-svc.
	until api POST "$REVIEWS_URL/stores/$id/reviews" "{\"user\":\"$1\",\"rating\":$2,\"text\":\"$3\"}" &&
		[ "$STATUS" = 201 ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || fail "review answered $STATUS: $BODY"
		sleep 0.2
	done
	jq -r .id <<<"$BODY" >"$T/review.id"
}
# The document's summary equals reviews-svc's (count, average, version).
summary_is() {
	local want
	want=$(curl -sf "$REVIEWS_URL/stores/$id/reviews/summary" | jq -c '{count, average, version}') &&
		[ "$(jq -r .count <<<"$want")" = "$1" ] &&
		[ "$(doc_of "$id" | jq -c '.reviews | {count, average, version}')" = "$want" ]
}

review u1 5 "최고"
r1=$(cat "$T/review.id")
wait_until 20 summary_is 1
doc_of "$id" | jq -e '.reviews.average == 5 and .reviews.version >= 1' >/dev/null ||
	fail "summary after one review: $(doc_of "$id" | jq -c .reviews)"
review u2 2 "별로"
wait_until 10 summary_is 2
doc_of "$id" | jq -e '.reviews.average == 3.5' >/dev/null ||
	fail "average of 5 and 2: $(doc_of "$id" | jq -c .reviews)"
api DELETE "$REVIEWS_URL/reviews/$r1"
[ "$STATUS" = 204 ] || fail "review delete answered $STATUS: $BODY"
wait_until 10 summary_is 1
version=$(doc_of "$id" | jq -r .reviews.version)

# kcat's status is not trusted: under load it may end early, and the next
# poll reads again.
reaction_seen() {
	local out
	out=$(kcat -b "$BROKERS" -C -t store.reactions -o beginning -e -q 2>/dev/null || true)
	jq_any --argjson id "$id" --argjson v "$version" \
		'select(.service == "display" and .source == "review.events" and .store_id == $id
			and .applied_version == $v and .action == "applied")' <<<"$out"
}
wait_until 20 reaction_seen

# A poison message: dead-lettered with the reason, and the next one applies.
printf '%s\t%s\n' "$id" '{"event_id":"x","store_id":"not a number"}' |
	kcat -b "$BROKERS" -P -t review.events -K "$(printf '\t')"
dead_letter() {
	kcat -b "$BROKERS" -C -t store.events.dlq -o beginning -e -q -f '%h\n' 2>/dev/null |
		grep 'dlq.service=display' | grep 'dlq.topic=review.events' | grep -q 'dlq.reason=value: '
}
wait_until 10 dead_letter
review u3 4 "좋아요"
wait_until 10 summary_is 2

# Every review event replayed, backwards and then again: all stale, the
# summary stays.
events_seen() { curl -sf "$DISPLAY_URL/metrics" | sed -n 's/^display_review_events_total //p'; }
before=$(events_seen)
want=$(doc_of "$id" | jq -c .reviews)
kcat -b "$BROKERS" -C -t review.events -o beginning -e -q -f '%k\t%s\n' >"$T/review.events"
n=$(wc -l <"$T/review.events")
[ "$n" -ge 5 ] || fail "only $n review events on the topic"
{ tac "$T/review.events"; cat "$T/review.events"; } |
	kcat -b "$BROKERS" -P -t review.events -K "$(printf '\t')"
replayed() { [ "$(events_seen)" -ge $((before + 2 * n)) ]; }
wait_until 20 replayed
[ "$(doc_of "$id" | jq -c .reviews)" = "$want" ] || fail "a replay changed the summary: $(doc_of "$id" | jq -c .reviews)"
curl -sf "$DISPLAY_URL/health" | jq -e '.reviews.skipped_stale > 0 and .status == "ok"' >/dev/null ||
	fail "replay not skipped as stale: $(curl -sf "$DISPLAY_URL/health" | jq -c .reviews)"

# reviews-svc down while a review waits on review.events: display-svc
# fails, retries, commits nothing, and catches up once it is back.
port=${REVIEWS_URL##*:}
stop_proc display
review u4 1 "실망"
stop_proc reviews
start_display
failing() {
	curl -sf "$DISPLAY_URL/health" |
		jq -e '.reviews.failed > 0 and .reviews.state == "retrying" and .status == "degraded"'
}
wait_until 30 failing
doc_of "$id" | jq -e '.reviews.count == 2' >/dev/null || fail "the summary changed without reviews-svc"
display_rotate_log reviews
writer_auth
start_proc reviews "$BIN/reviews-svc" --listen "127.0.0.1:$port" --db "$T/reviews.db" \
	--brokers "$BROKERS" --store-api "$STORE_URL" ${SERVICE_TOKEN:+--token "$SERVICE_TOKEN"} \
	"${WRITER_AUTH[@]}" "${KAFKA_X[@]}" >/dev/null
wait_until 30 summary_is 3
grep -q 'reviews consumer: caught up' "$T/display.log" || fail "no catch-up logged"
recovered() { curl -sf "$DISPLAY_URL/health" | jq -e '.reviews.state == "running" and .status == "ok"'; }
wait_until 10 recovered
log "ok"
