#!/usr/bin/env bash
# Security limits of every service:
#  - with no --listen (and no STORECTL_LISTEN) each service binds 127.0.0.1
#    only, and so does the broker and its control API;
#  - a slow client (its request line and headers a byte every 0.5 s) is
#    cut off within about the 10 s timeout, while the service keeps
#    answering others; one that sends its body slowly too;
#  - tokens never appear in logs or in error bodies: a run with good, bad,
#    truncated and foreign tokens on every service leaves none of the four
#    tokens (nor a prefix of 12 characters) in any log or answer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_downstream.sh"
. "$(dirname "$0")/../lib_display.sh"

unset STORECTL_LISTEN
start_broker
case $BROKERS in 127.0.0.1:*) ;; *) fail "broker bootstrap is $BROKERS, not on 127.0.0.1" ;; esac
case $BROKER_CONTROL in http://127.0.0.1:*) ;; *) fail "broker control on $BROKER_CONTROL" ;; esac

# Each service started without --listen.
start_default() { # NAME PROGRAM ARGS...
	local name=$1 program=$2
	shift 2
	start_proc "$name" "$BIN/$program" --db "$T/$name.db" "$@" >"$T/$name.addr"
}
make_tokens
start_default store store-svc --brokers "$BROKERS" --tokens "$T/tokens.json"
STORE_URL=$(cat "$T/store.addr")
API_TOKEN=$OPERATOR_TOKEN
writer_auth
for svc in search ads favorites reviews; do
	auth=()
	[ "$svc" = search ] || auth=("${WRITER_AUTH[@]}")
	start_default "$svc" "$svc-svc" --brokers "$BROKERS" --store-api "$STORE_URL" \
		--token "$SERVICE_TOKEN" "${auth[@]}" "${KAFKA_X[@]}"
done
SEARCH_URL=$(cat "$T/search.addr")
ADS_URL=$(cat "$T/ads.addr")
FAVORITES_URL=$(cat "$T/favorites.addr")
REVIEWS_URL=$(cat "$T/reviews.addr")
start_default display display-svc --brokers "$BROKERS" --store-api "$STORE_URL" \
	--token "$SERVICE_TOKEN" --search-api "$SEARCH_URL" --ads-api "$ADS_URL" \
	--favorites-api "$FAVORITES_URL" --reviews-api "$REVIEWS_URL" "${KAFKA_X[@]}"
DISPLAY_URL=$(cat "$T/display.addr")
URLS=("$STORE_URL" "$SEARCH_URL" "$ADS_URL" "$FAVORITES_URL" "$REVIEWS_URL" "$DISPLAY_URL")

for url in "${URLS[@]}"; do
	case $url in http://127.0.0.1:*) ;; *) fail "a service listens on $url, not 127.0.0.1" ;; esac
done
# What the kernel says: every listening socket of our processes is on 127.0.0.1.
if command -v ss >/dev/null; then
	for name in "${!PID_OF[@]}"; do
		ss -ltnpH 2>/dev/null | grep "pid=${PID_OF[$name]}," | awk '{print $4}' |
			while read -r addr; do
				case $addr in 127.0.0.1:*) ;; *) fail "$name listens on $addr" ;; esac
			done
	done
fi

# --- URL and header limits: 414 and 431 are problems like any other ------------
LONG=$(head -c 17000 /dev/zero | tr '\0' a)
head_problem() { # WANT LABEL CURL-ARGS...
	local want=$1 label=$2 code ctype
	shift 2
	code=$(curl -s -o "$T/lim.body" -D "$T/lim.head" -w '%{http_code}' "$@") || true
	ctype=$(tr -d '\r' <"$T/lim.head" | sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | tail -n 1)
	[ "$code" = "$want" ] || fail "$label: want $want, got $code"
	case $ctype in application/problem+json*) ;; *) fail "$label: Content-Type '$ctype', not application/problem+json" ;; esac
	jq -e --argjson c "$want" '.status == $c and (.detail | test("bytes"))' "$T/lim.body" >/dev/null ||
		fail "$label: not a problem: $(head -c 300 "$T/lim.body")"
}
for url in "${URLS[@]}"; do
	head_problem 414 "$url: a 17 KB URL" "$url/health?x=$LONG"
	head_problem 431 "$url: a 17 KB header" -H "X-Big: $LONG" "$url/health"
	curl -sf "$url/health" >/dev/null || fail "$url/health does not answer after the 414 and 431"
done

# --- slow clients -------------------------------------------------------------
cat >"$T/slow.py" <<'EOF'
import socket, sys, time
host, port, delay, body = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
s = socket.create_connection((host, port))
if body == "body":
    # Headers at once, then a body that never finishes.
    s.sendall(b"POST /stores HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n")
    req = b"{" + b" " * 998 + b"}"
else:
    req = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
t0 = time.monotonic()
for i, c in enumerate(req):
    if time.monotonic() - t0 > 30:
        break
    try:
        s.send(bytes([c]))
    except OSError:
        print("cut %.1f" % (time.monotonic() - t0)); sys.exit(0)
    s.settimeout(delay)
    try:
        d = s.recv(4096)
        if d == b"" or b" 408 " in d.split(b"\r\n")[0] or b" 400 " in d.split(b"\r\n")[0]:
            print("cut %.1f" % (time.monotonic() - t0)); sys.exit(0)
        print("answered %.1f %r" % (time.monotonic() - t0, d[:60])); sys.exit(1)
    except socket.timeout:
        pass
print("never cut %.1f" % (time.monotonic() - t0)); sys.exit(1)
EOF
pids=()
for url in "${URLS[@]}"; do
	hp=${url#http://}
	python3 "$T/slow.py" "${hp%:*}" "${hp##*:}" 0.5 headers >"$T/slow.${hp##*:}.out" 2>&1 &
	pids+=($!)
done
hp=${STORE_URL#http://}
python3 "$T/slow.py" "${hp%:*}" "${hp##*:}" 0.5 body >"$T/slowbody.out" 2>&1 &
pids+=($!)
# Meanwhile everyone else is served.
sleep 2
for url in "${URLS[@]}"; do
	curl -sf "$url/health" >/dev/null || fail "$url/health does not answer while slow clients hold connections"
done
for pid in "${pids[@]}"; do
	wait "$pid" || true
done
cuts=()
for f in "$T"/slow.*.out "$T/slowbody.out"; do
	read -r verdict secs rest <"$f" || true
	[ "$verdict" = cut ] || fail "slow client $(basename "$f"): $(cat "$f")"
	# 10 s timeout, checked every 0.25 s; generous for a loaded machine.
	awk -v s="$secs" 'BEGIN { exit !(s >= 8 && s <= 16) }' ||
		fail "slow client $(basename "$f") cut after ${secs}s, not about 10 s"
	cuts+=("$secs")
done
log "slow clients cut off after: ${cuts[*]} s"

# --- tokens never in logs or error bodies -------------------------------------
api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"토큰 검사","category":"korean"}'
[ "$STATUS" = 201 ] || fail "create: $STATUS $BODY"
A=$(jq -r .id <<<"$BODY")
: >"$T/answers"
call() { # TOKEN-TEXT URL [curl args]
	local tok=$1 url=$2
	shift 2
	printf 'Authorization: Bearer %s\n' "$tok" >"$T/tok.auth"
	curl -s -H "@$T/tok.auth" -D - "$@" "$url" >>"$T/answers" 2>&1 || true
	echo >>"$T/answers"
}
for tok in "$OWNER1_TOKEN" "$OWNER2_TOKEN" "$OPERATOR_TOKEN" "$SERVICE_TOKEN" \
	"${OPERATOR_TOKEN}x" "${OWNER1_TOKEN:0:20}" "x$SERVICE_TOKEN" "$OPERATOR_TOKEN$OWNER2_TOKEN"; do
	call "$tok" "$STORE_URL/stores/$A"
	call "$tok" "$STORE_URL/stores/999999"
	call "$tok" "$STORE_URL/stores?owner=owner-2"
	call "$tok" "$STORE_URL/metrics"
	call "$tok" "$STORE_URL/stores/$A" -X PATCH -H 'Content-Type: application/json' -d '{"name":""}' -H 'If-Match: "1"'
	call "$tok" "$STORE_URL/stores/$A" -X PATCH -H 'Content-Type: application/json' -d '{"name":"x"}'
	call "$tok" "$STORE_URL/stores" -X POST -H 'Content-Type: application/json' -d '{"owner":"owner-2","name":"x","category":"korean"}'
	for url in "$SEARCH_URL" "$ADS_URL" "$FAVORITES_URL" "$REVIEWS_URL" "$DISPLAY_URL"; do
		call "$tok" "$url/nope"
		call "$tok" "$url/replica/stores?limit=abc"
	done
	call "$tok" "$ADS_URL/campaigns" -X POST -H 'Content-Type: application/json' -d '{"store_id":1}'
	call "$tok" "$REVIEWS_URL/stores/$A/reviews" -X POST -H 'Content-Type: application/json' -d '{"rating":9}'
	call "$tok" "$FAVORITES_URL/users/u%201/favorites/$A" -X PUT
	call "$tok" "$DISPLAY_URL/shops?limit=abc"
done
# A token as a query argument or a path must not be echoed either.
call x "$STORE_URL/stores?owner=$OPERATOR_TOKEN"
call x "$STORE_URL/stores/$OPERATOR_TOKEN"
call x "$SEARCH_URL/search?q=$SERVICE_TOKEN&limit=$SERVICE_TOKEN"
wait_until 20 converged "$A"
# Restart store-svc without --tokens (it keeps the stored digests) and with
# a bad tokens file naming an entry: neither may print a token.
jq '.tokens[1].role = "king"' "$T/tokens.json" >"$T/bad-tokens.json"
if "$BIN/store-svc" --db "$T/store2.db" --brokers "$BROKERS" --tokens "$T/bad-tokens.json" \
	>"$T/store-badfile.log" 2>&1; then
	fail "store-svc started with a bad tokens file"
fi
grep -q 'tokens\[1\]' "$T/store-badfile.log" || fail "bad tokens file: the message does not name the entry: $(cat "$T/store-badfile.log")"

leaks=0
for tok in "$OWNER1_TOKEN" "$OWNER2_TOKEN" "$OPERATOR_TOKEN" "$SERVICE_TOKEN"; do
	for f in "$T"/*.log "$T/answers"; do
		if grep -qF -- "${tok:0:12}" "$f"; then
			log "a token (its first 12 characters) appears in $(basename "$f"):"
			grep -nF -- "${tok:0:12}" "$f" | head -n 3 >&2
			leaks=$((leaks + 1))
		fi
	done
done
# The databases keep digests only.
for db in "$T"/*.db; do
	for tok in "$OWNER1_TOKEN" "$OPERATOR_TOKEN" "$SERVICE_TOKEN"; do
		! grep -qaF -- "$tok" "$db" "$db-wal" 2>/dev/null || {
			log "a token is stored in clear in $(basename "$db")"
			leaks=$((leaks + 1))
		}
	done
done
[ "$leaks" -eq 0 ] || fail "$leaks places hold a token"
grep -q 'HTTP/1.1 401' "$T/answers" || fail "no 401 among the answers (the check did not run)"
