# display-svc helpers for the shell tests. Source it after tests/lib.sh.
#
#   start_display [ARGS...]  starts display-svc (needs BROKERS, STORE_URL)
#                     and sets DISPLAY_URL. It passes --search-api,
#                     --ads-api, --favorites-api and --reviews-api for each
#                     of SEARCH_URL, ADS_URL, FAVORITES_URL and REVIEWS_URL
#                     that is set, --token "$SERVICE_TOKEN" when there is
#                     one, and ARGS last (so they win).
#   doc_of ID         prints display-svc's document of store ID (fails the
#                     command when it has none)
#   store_matches_doc ID   succeeds when the document of ID shows what the
#                     store API holds (every member a store page shows)
#   display_rotate_log NAME  moves $T/NAME.log aside before a restart
#   hung_server       starts a TCP listener that accepts connections and
#                     never answers (a dead dependency); sets HUNG_URL

# A restarted process must not leave its old log where start_proc looks
# for the ready line: start_proc could read the old line (or the file just
# truncated by the new process) before the new process has written one.
# The old log is kept as NAME.N.log.
display_rotate_log() {
	local n=1
	[ -f "$T/$1.log" ] || return 0
	while [ -f "$T/$1.$n.log" ]; do n=$((n + 1)); done
	mv "$T/$1.log" "$T/$1.$n.log"
}

start_display() {
	local args=()
	display_rotate_log display
	[ -z "${SERVICE_TOKEN:-}" ] || args+=(--token "$SERVICE_TOKEN")
	[ -z "${SEARCH_URL:-}" ] || args+=(--search-api "$SEARCH_URL")
	[ -z "${ADS_URL:-}" ] || args+=(--ads-api "$ADS_URL")
	[ -z "${FAVORITES_URL:-}" ] || args+=(--favorites-api "$FAVORITES_URL")
	[ -z "${REVIEWS_URL:-}" ] || args+=(--reviews-api "$REVIEWS_URL")
	start_proc display "$BIN/display-svc" --listen 127.0.0.1:0 --db "$T/display.db" \
		--brokers "$BROKERS" --store-api "$STORE_URL" "${KAFKA_X[@]}" \
		"${args[@]}" "$@" >"$T/display.addr"
	DISPLAY_URL=$(cat "$T/display.addr")
}

doc_of() {
	curl -sf "$DISPLAY_URL/shops/$1"
}

# The members of a store page, from a store (API) or a document alike.
DISPLAY_PAGE_JQ='{name, category, status, status_reason, area, address, hours,
	phone, min_order, delivery_fee, description, menu, version}'

store_matches_doc() {
	local store doc
	_display_auth
	store=$(curl -sf -H "@$T/display.auth" "$STORE_URL/stores/$1") || return 1
	doc=$(doc_of "$1") || return 1
	[ "$(jq -cS "$DISPLAY_PAGE_JQ" <<<"$store")" = "$(jq -cS "$DISPLAY_PAGE_JQ" <<<"$doc")" ]
}

# The store API needs a token to read; keep it off command lines.
_display_auth() {
	: >"$T/display.auth"
	[ -z "${API_TOKEN:-}" ] || printf 'Authorization: Bearer %s\n' "$API_TOKEN" >"$T/display.auth"
}

hung_server() {
	# Accepts and holds every connection without reading or answering:
	# the dependency that neither refuses nor answers.
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print("listening on http://127.0.0.1:%d" % s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
' >"$T/hung.log" 2>&1 &
	PID_OF[hung]=$!
	wait_until 5 grep -q 'listening on ' "$T/hung.log"
	HUNG_URL=$(grep -o 'listening on [^ ]*' "$T/hung.log" | cut -d' ' -f3)
}

# The other downstream services, unless tests/lib.sh defines them already:
#   start_ads, start_favorites, start_reviews  set ADS_URL, FAVORITES_URL,
#                     REVIEWS_URL (need BROKERS, STORE_URL); they start with
#                     WRITER_AUTH (tests/lib.sh)
# Not in $(...): start_proc must record the process in this shell.
_display_start_downstream() {
	local name=$1 program=$2
	local auth=()
	display_rotate_log "$name"
	[ -z "${SERVICE_TOKEN:-}" ] || auth=(--token "$SERVICE_TOKEN")
	writer_auth
	start_proc "$name" "$BIN/$program" --listen 127.0.0.1:0 --db "$T/$name.db" \
		--brokers "$BROKERS" --store-api "$STORE_URL" "${auth[@]}" "${WRITER_AUTH[@]}" \
		"${KAFKA_X[@]}" >"$T/$name.addr"
}
declare -F start_ads >/dev/null ||
	start_ads() { _display_start_downstream ads ads-svc; ADS_URL=$(cat "$T/ads.addr"); }
declare -F start_favorites >/dev/null ||
	start_favorites() {
		_display_start_downstream favorites favorites-svc
		FAVORITES_URL=$(cat "$T/favorites.addr")
	}
declare -F start_reviews >/dev/null ||
	start_reviews() {
		_display_start_downstream reviews reviews-svc
		REVIEWS_URL=$(cat "$T/reviews.addr")
	}
