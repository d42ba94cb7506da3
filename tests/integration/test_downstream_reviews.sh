#!/usr/bin/env bash
# reviews-svc: reviews are checked (each rule named) and refused for
# unknown (404) or deleted (410) stores; the summary counts and averages;
# every change publishes one zero-payload review.events message with the
# summary's version, reliably: written to the outbox with the review, it
# waits out a broker outage and goes out when the broker is back. Without
# Kafka at all, reviews still commit and SIGTERM still stops it at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"

start_broker
start_store
start_reviews

api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"리뷰 맛집","category":"korean","status":"open"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
A=$(jq -r .id <<<"$BODY")

review() { api POST "$REVIEWS_URL/stores/$1/reviews" "$2"; }
# At once: the copy may not hold the store yet; reviews-svc asks.
review "$A" '{"user":"u1","rating":5,"text":"최고의 김밥\n또 올게요"}'
[ "$STATUS" = 201 ] || fail "review: $STATUS $BODY"
r1=$(jq -r .id <<<"$BODY")
jq -e --argjson a "$A" '.store_id == $a and .rating == 5 and .user == "u1"' <<<"$BODY" >/dev/null ||
	fail "review answer: $BODY"

refused() { # BODY FIELD RULE
	review "$A" "$1"
	[ "$STATUS" = 422 ] && [ "$(jq -r .field <<<"$BODY")" = "$2" ] && [ "$(jq -r .rule <<<"$BODY")" = "$3" ] ||
		fail "review $1: want 422 $2/$3, got $STATUS $BODY"
}
refused '{"user":"u1","rating":6}' rating range
refused '{"user":"u1","rating":"5"}' rating type
refused '{"rating":3}' user required
refused '{"user":"u 1","rating":3}' user pattern
refused '{"user":"u1","rating":3,"text":"a\u0007b"}' text control
refused '{"user":"u1","rating":3,"stars":3}' stars unknown
review "$A" '{"user":'
[ "$STATUS" = 400 ] || fail "malformed JSON answered $STATUS"
review 999999 '{"user":"u1","rating":3}'
[ "$STATUS" = 404 ] || fail "review of an unknown store: $STATUS $BODY"
review abc '{"user":"u1","rating":3}'
[ "$STATUS" = 400 ] || fail "review of store abc: $STATUS $BODY"

review "$A" '{"user":"u2","rating":2}'
[ "$STATUS" = 201 ] || fail "second review: $STATUS $BODY"
summary() { curl -sf "$REVIEWS_URL/stores/$A/reviews/summary"; }
summary | jq -e --argjson a "$A" '. == {"store_id": $a, "count": 2, "average": 3.5, "version": 2}' >/dev/null ||
	fail "summary: $(summary)"
curl -sf "$REVIEWS_URL/stores/$A/reviews" | jq -e '[.reviews[].user] == ["u2", "u1"] and .reviews[1].text == "최고의 김밥\n또 올게요"' >/dev/null ||
	fail "list: $(curl -s "$REVIEWS_URL/stores/$A/reviews")"

# Delete: the summary drops, a second delete is 404.
api DELETE "$REVIEWS_URL/reviews/$r1"
[ "$STATUS" = 204 ] || fail "delete: $STATUS $BODY"
api DELETE "$REVIEWS_URL/reviews/$r1"
[ "$STATUS" = 404 ] || fail "second delete: $STATUS $BODY"
summary | jq -e '.count == 1 and .average == 2 and .version == 3' >/dev/null || fail "summary after delete: $(summary)"

# review.events: key = store id, zero payload, one per change, versions 1-3.
events() {
	kcat -b "$BROKERS" -C -t review.events -o beginning -e -q -f '%k %s\n' 2>/dev/null
}
three() { [ "$(events | wc -l)" -ge 3 ]; }
wait_until 10 three
events | awk -v a="$A" '$1 != a { exit 1 }' || fail "a review event is not keyed by the store: $(events)"
events | cut -d' ' -f2- | jq -s -e --argjson a "$A" --argjson r "$r1" '
	(map([.type, .version]) | unique) == [["created", 1], ["created", 2], ["deleted", 3]]
	and all(.[]; .store_id == $a and (.event_id | length) == 32 and (.at | test("Z$"))
		and ((keys - ["at", "event_id", "review_id", "store_id", "type", "version"]) == []))
	and (map(select(.type == "deleted"))[0].review_id == $r)' >/dev/null ||
	fail "review.events: $(events)"

# The broker is away: the review commits, its event waits in the outbox.
curl -sf -X POST "$BROKER_CONTROL/brokers/down" >/dev/null || fail "broker down"
review "$A" '{"user":"u3","rating":4}'
[ "$STATUS" = 201 ] || fail "review while the broker is down: $STATUS $BODY"
health_of reviews | jq -e '.outbox_pending >= 1' >/dev/null || fail "no pending event: $(health_of reviews)"
curl -sf -X POST "$BROKER_CONTROL/brokers/up" >/dev/null || fail "broker up"
drained() { health_of reviews | jq -e '.outbox_pending == 0'; }
wait_until 30 drained
four() { events | cut -d' ' -f2- | jq -s -e 'map(.version) | index(4) != null'; }
wait_until 10 four
grep -q '^storectl_outbox_published_total [4-9]' <<<"$(curl -sf "$REVIEWS_URL/metrics")" ||
	fail "metrics: $(curl -s "$REVIEWS_URL/metrics" | grep outbox)"

# A deleted store: no new review (410), its summary and list are gone too.
api DELETE "$STORE_URL/stores/$A" '' -H 'If-Match: *'
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "store delete answered $STATUS: $BODY"
refused_gone() { review "$A" '{"user":"u4","rating":1}'; [ "$STATUS" = 410 ]; }
wait_until 10 refused_gone
[ "$(curl -s -o /dev/null -w '%{http_code}' "$REVIEWS_URL/stores/$A/reviews/summary")" = 410 ] ||
	fail "summary of a deleted store"
wait_converged 10 "$A"

# With Kafka gone, a review still commits (its event waits in the
# outbox) and SIGTERM still stops the service promptly, with status 0.
stop_proc broker
api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"늦은 가게","category":"korean"}'
[ "$STATUS" = 201 ] || fail "create without Kafka: $STATUS $BODY"
B=$(jq -r .id <<<"$BODY")
review "$B" '{"user":"u5","rating":5}'
[ "$STATUS" = 201 ] || fail "review without Kafka: $STATUS $BODY"
health_of reviews | jq -e '.outbox_pending == 1' >/dev/null || fail "no pending event: $(health_of reviews)"
start=$SECONDS
stop_downstream
[ $((SECONDS - start)) -le 8 ] || fail "reviews-svc took $((SECONDS - start)) s to stop without Kafka"
log ok
