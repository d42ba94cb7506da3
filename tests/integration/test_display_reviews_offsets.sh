#!/usr/bin/env bash
# display-svc's consumer of review.events survives a failed fetch of its
# committed offsets: librdkafka leaves such partitions assigned and never
# fetched until a rebalance, so display-svc assigns them again. Here
# display-svc restarts while the broker fails OffsetFetch requests; the
# reviews consumer must say it assigns again, and a review written after
# must still reach the document.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_display.sh"

start_broker
start_store
start_reviews
start_display

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"오프셋 식당","category":"korean","status":"open","area":"mapo"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
id=$(jq -r .id <<<"$BODY")
wait_until 20 doc_of "$id"

review() {
	local tries=0
	until api POST "$REVIEWS_URL/stores/$id/reviews" "{\"user\":\"$1\",\"rating\":$2,\"text\":\"맛있어요\"}" &&
		[ "$STATUS" = 201 ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || fail "review answered $STATUS: $BODY"
		sleep 0.2
	done
}
count_is() { [ "$(doc_of "$id" | jq -r '.reviews.count // 0')" = "$1" ]; }
review u1 5
wait_until 20 count_is 1

stop_proc display
curl -sf -X POST -H "Content-Type: application/json" -d '{"api":"OffsetFetch","code":"COORDINATOR_NOT_AVAILABLE","count":40}' \
	"$BROKER_CONTROL/errors" >/dev/null || fail "the broker refused the error injection"
start_display
refetched() { grep -q 'reviews consumer: .*assigning the partitions again' "$T/display.log"; }
wait_until 30 refetched
review u2 3
wait_until 30 count_is 2
log "ok"
