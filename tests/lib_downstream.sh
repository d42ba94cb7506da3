# Helpers for the downstream services' shell tests (search-svc, ads-svc,
# favorites-svc, reviews-svc). Source it after tests/lib.sh.
#
#   start_ads [ARGS...]        sets ADS_URL (needs BROKERS, STORE_URL)
#   start_favorites [ARGS...]  sets FAVORITES_URL
#   start_reviews [ARGS...]    sets REVIEWS_URL
#   start_downstream           starts search, ads, favorites and reviews
#                     Each passes --token "$SERVICE_TOKEN" when there is one,
#                     the embedded broker's consumer settings, and ARGS last.
#                     ads, favorites and reviews get WRITER_AUTH (store-svc's
#                     tokens file; tests/lib.sh): their writes send
#                     API_TOKEN, the operator's.
#   wait_assigned NAME...      waits until each service's consumer holds
#                     partitions (its group has formed), per its /health
#   health_of NAME             prints the service's /health
#   replica_version NAME ID    prints the version the service's copy holds
#                     of store ID ("0" when none; "-" prefix when deleted)
#   store_version ID           the store API's word on ID: its version,
#                     "-V" when deleted at V, "0" when it never existed
#   converged ID...            succeeds when every running downstream
#                     service's copy agrees with the store API on each ID
#   metric NAME URL [LABELS]   prints the value of a Prometheus sample
#   stop_checked NAME          stops a service with SIGTERM; fails unless it
#                     exits 0 with no sanitizer report in its log
#   stop_downstream            stop_checked for every downstream service
#                     still running (call it at the end of a test)

# The service's base URL by name.
_ds_url() {
	case $1 in
	search) printf '%s' "${SEARCH_URL:-}" ;;
	ads) printf '%s' "${ADS_URL:-}" ;;
	favorites) printf '%s' "${FAVORITES_URL:-}" ;;
	reviews) printf '%s' "${REVIEWS_URL:-}" ;;
	*) return 1 ;;
	esac
}

_ds_start() {
	local name=$1 program=$2
	shift 2
	local auth=()
	[ -z "${SERVICE_TOKEN:-}" ] || auth=(--token "$SERVICE_TOKEN")
	if [ "$name" != search ]; then
		writer_auth
		auth+=("${WRITER_AUTH[@]}")
	fi
	start_proc "$name" "$BIN/$program" --listen 127.0.0.1:0 --db "$T/$name.db" \
		--brokers "$BROKERS" --store-api "$STORE_URL" "${auth[@]}" "${KAFKA_X[@]}" \
		"$@" >"$T/$name.addr"
}

start_ads() {
	_ds_start ads ads-svc "$@"
	ADS_URL=$(cat "$T/ads.addr")
}

start_favorites() {
	_ds_start favorites favorites-svc "$@"
	FAVORITES_URL=$(cat "$T/favorites.addr")
}

start_reviews() {
	_ds_start reviews reviews-svc "$@"
	REVIEWS_URL=$(cat "$T/reviews.addr")
}

start_downstream() {
	start_search
	start_ads
	start_favorites
	start_reviews
}

health_of() {
	curl -sf "$(_ds_url "$1")/health"
}

_assigned() {
	health_of "$1" | jq -e '.consumer.partitions | length > 0' >/dev/null
}

wait_assigned() {
	local name
	for name in "$@"; do
		wait_until 30 _assigned "$name"
	done
}

# The row of store ID in the service's copy (null when it holds none).
replica_row() {
	curl -sf "$(_ds_url "$1")/replica/stores?after=$(($2 - 1))&limit=1" |
		jq -c --argjson id "$2" '.stores[0] | if . != null and .id == $id then . else null end'
}

replica_version() {
	replica_row "$1" "$2" |
		jq -r 'if . == null then "0" elif .deleted then "-\(.version)" else "\(.version)" end'
}

# What each service keeps of a store (DESIGN.md, "Components").
_ds_columns() {
	case $1 in
	search) printf '%s' '{name, category, area: (.area // ""), menu: [(.menu // [])[] | if type == "object" then .name else . end]}' ;;
	ads) printf '%s' '{area: (.area // ""), category, status}' ;;
	favorites) printf '%s' '{name, status}' ;;
	reviews) printf '%s' '{name}' ;;
	esac
}

# Fetches store ID from the store API into $T/ds.store; prints the HTTP status.
_ds_fetch_store() {
	printf 'Authorization: Bearer %s\n' "${SERVICE_TOKEN:-${API_TOKEN:-}}" >"$T/ds.auth"
	curl -s -o "$T/ds.store" -w '%{http_code}' -H "@$T/ds.auth" "$STORE_URL/stores/$1"
}

store_version() {
	case $(_ds_fetch_store "$1") in
	200) jq -r .version "$T/ds.store" ;;
	410) printf -- '-%s' "$(jq -r '.version // 0' "$T/ds.store")" ;;
	404) printf 0 ;;
	*) return 1 ;;
	esac
}

# Does NAME's copy of store ID agree with the store API? A live store: the
# columns the service keeps are equal and the copy's version is not newer
# (a service that skipped an event touching none of its columns stays at
# the older version, which holds the same values). A deleted store: a
# tombstone at the delete's version. A store that never existed: nothing,
# or a tombstone.
replica_agrees() {
	local name=$1 id=$2 code row cols
	code=$(_ds_fetch_store "$id") || return 1
	row=$(replica_row "$name" "$id") || return 1
	case $code in
	200)
		cols=$(_ds_columns "$name")
		[ "$(jq -cS "$cols" "$T/ds.store")" = "$(jq -cS "$cols" <<<"$row")" ] || return 1
		jq -e --argjson v "$(jq .version "$T/ds.store")" \
			'.deleted == false and .version > 0 and .version <= $v' <<<"$row" >/dev/null
		;;
	410)
		jq -e --argjson v "$(jq '.version // 0' "$T/ds.store")" \
			'. != null and .deleted and .version == $v' <<<"$row" >/dev/null
		;;
	404) jq -e '. == null or .deleted' <<<"$row" >/dev/null ;;
	*) return 1 ;;
	esac
}

converged() {
	local id name
	for id in "$@"; do
		for name in search ads favorites reviews; do
			[ -n "$(_ds_url "$name")" ] || continue
			[ -n "${PID_OF[$name]:-}" ] || continue
			replica_agrees "$name" "$id" || return 1
		done
	done
}

# Waits up to SECS for converged ID...; fails naming what disagrees.
wait_converged() {
	local secs=$1
	shift
	local deadline=$((SECONDS + secs))
	until converged "$@" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] ||
			fail "not converged after ${secs}s: $(disagreements "$@")"
		sleep 0.2
	done
}

# Says which service's copy disagrees (for a failure message).
disagreements() {
	local id name
	for id in "$@"; do
		for name in search ads favorites reviews; do
			[ -n "${PID_OF[$name]:-}" ] || continue
			replica_agrees "$name" "$id" ||
				printf '%s: store %s copy %s vs API %s\n' "$name" "$id" \
					"$(replica_row "$name" "$id")" "$(jq -c . "$T/ds.store")"
		done
	done
}

# The body is read whole first: awk leaving early would break curl's pipe,
# and pipefail would turn that into a failure.
metric() {
	local name=$1 url=$2 labels=${3:-} body
	body=$(curl -sf "$url/metrics") || return 1
	awk -v n="$name" -v l="$labels" '
		$1 == n || index($1, n "{") == 1 {
			if (l == "" || index($1, l) > 0) { print $2; exit }
		}' <<<"$body"
}

stop_checked() {
	local name=$1 rc=0
	kill -TERM "${PID_OF[$name]}" 2>/dev/null || true
	wait "${PID_OF[$name]}" || rc=$?
	unset "PID_OF[$name]"
	[ "$rc" = 0 ] || fail "$name exited with status $rc after SIGTERM"
	! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/$name.log" >&2 ||
		fail "$name: sanitizer report in its log"
}

stop_downstream() {
	local name
	for name in search ads favorites reviews; do
		[ -z "${PID_OF[$name]:-}" ] || stop_checked "$name"
	done
}
