#!/usr/bin/env bash
# make bench: every figure of issue 7 on the embedded stack, each beside its
# baseline measured in the same run. Prints one table and writes
# bench/results/latest.json (docs/perf.md explains each figure).
#
#   BENCH_QUICK=1   a smaller run (~1-2 minutes) for development
#   BENCH_PROFILE=0 skips the perf profile of store-svc
#   BIN=DIR         where the binaries are (default bin)
#
# It starts the broker, store-svc, the four downstream services and
# display-svc in a temporary directory on ephemeral ports, through the test
# helpers (tests/lib.sh), and stops them on exit. Targets are reported,
# never asserted: the exit status says only whether the run completed.
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# Tools: wrk (load generator) from Debian; perf is used when present.
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v kcat >/dev/null || need+=(kcat)
command -v jq >/dev/null || need+=(jq)
command -v python3 >/dev/null || need+=(python3)
if [ "${#need[@]}" -gt 0 ]; then
	echo "bench: installing ${need[*]}" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y "${need[@]}" >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 && apt-get install -y "${need[@]}" >/dev/null; }
	else
		sudo apt-get install -y "${need[@]}" >/dev/null
	fi
fi

export BIN=${BIN:-bin}
source "$ROOT/tests/lib.sh"
source "$ROOT/tests/lib_downstream.sh"
source "$ROOT/tests/lib_display.sh"
TEST_NAME=bench
LOAD="python3 $ROOT/bench/load.py"
RES=$T/res
mkdir -p "$RES" "$ROOT/bench/results"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	MODE=quick STORES=100 PROP_S=5 BURST=5000 WRK_S=3 FLOOR_N=100 CONSOLE_SECS=10
	GROW_STORES="10 100 1000" GROW_BURST=2000 GROW_RATES="10 100 500" GROW_S=3 FIXED_S=5
else
	MODE=full STORES=1000 PROP_S=20 BURST=50000 WRK_S=8 FLOOR_N=300 CONSOLE_SECS=200
	GROW_STORES="100 1000 10000" GROW_BURST=5000 GROW_RATES="10 100 1000" GROW_S=5 FIXED_S=10
fi
PROP_RATE=100 CONSOLE_RATE=5000 BURST_WAIT=${BURST_WAIT:-300} BASELINE_WAIT=${BASELINE_WAIT:-120}
log "mode $MODE: $STORES stores, ${PROP_S}s at $PROP_RATE edits/s, burst $BURST, wrk ${WRK_S}s"

cc -O2 -Wall -Wextra -o "$T/bare_mhd" "$ROOT/bench/bare_mhd.c" \
	$(pkg-config --cflags --libs libmicrohttpd)
cc -O2 -Wall -Wextra -o "$T/fixed_rate" "$ROOT/bench/fixed_rate.c"

# ---- the stack -------------------------------------------------------------
start_broker
start_store
start_downstream
start_display
wait_assigned search ads favorites reviews
export BENCH_TOKEN=$OPERATOR_TOKEN
SERVICES=(store search ads favorites reviews display)

# rss_json: {"name": KiB, ...} for every service now.
rss_json() {
	local name out="{"
	for name in broker "${SERVICES[@]}"; do
		out+="\"$name\":$(ps -o rss= -p "${PID_OF[$name]}" | tr -d ' '),"
	done
	printf '%s}\n' "${out%,}"
}
# cpu_ticks NAME: user+system clock ticks the process used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${PID_OF[$1]}/stat"; }

# metric_sum URL NAME: the sum of every sample of a metric family.
metric_sum() {
	local body
	body=$(curl -sf "$1/metrics") || { echo 0; return; }
	awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%d\n", s }' <<<"$body"
}

sleep 2
rss_json >"$RES/rss_idle.json"

log "seeding $STORES stores"
$LOAD seed "$STORE_URL" "$STORES" "$T/stores"

# Every reaction from here on, for the propagation and burst figures.
command kcat -C -u -q -b "$BROKERS" -t store.reactions -o end -f '%s\n' \
	-X fetch.wait.max.ms=5 >"$T/reactions.log" 2>"$T/kcat-reactions.err" &
PID_OF[kcat_reactions]=$!
sleep 2

# ---- propagation at 100 edits/s and its floor ------------------------------
log "propagation: $((PROP_RATE * PROP_S)) edits at $PROP_RATE/s"
$LOAD edits "$STORE_URL" "$T/stores" "$PROP_RATE" $((PROP_RATE * PROP_S)) \
	"$T/prop.acks" 2 >"$RES/prop_load.json"
sleep 3
$LOAD propagation "$T/prop.acks" "$T/reactions.log" >"$RES/propagation.json"
log "floor: $FLOOR_N x (write, produce/consume, read)"
$LOAD floor "$STORE_URL" "$(head -n1 "$T/stores" | cut -d' ' -f1)" "$BROKERS" "$FLOOR_N" \
	>"$RES/floor.json"
# The floor edited that store: the burst starts from its current version.
fid=$(head -n1 "$T/stores" | cut -d' ' -f1)
printf 'Authorization: Bearer %s\n' "$OPERATOR_TOKEN" >"$T/bench.auth"
fv=$(curl -sf -H "@$T/bench.auth" "$STORE_URL/stores/$fid" | jq .version)
awk -v id="$fid" -v v="$fv" '$1 == id { $2 = v } { print }' "$T/stores.final" >"$T/stores.floor"
mv "$T/stores.floor" "$T/stores.final"

# ---- burst -----------------------------------------------------------------
ds_url() { case $1 in display) echo "$DISPLAY_URL" ;; *) _ds_url "$1" ;; esac; }

# run_burst TAG STORES_FILE COUNT: COUNT edits as fast as 4 connections go
# over the stores in STORES_FILE ("id version" lines, updated to the final
# versions); waits until every service's reactions reached every store's
# final version. Writes burst_load$TAG, converge$TAG and burst_fetches$TAG
# (fetches and events per service from their /metrics, CPU ticks).
run_burst() {
	local tag=$1 stores=$2 count=$3 wait=${4:-$BURST_WAIT} s f e i sep deadline start
	local -A f0 e0
	local c0=() c1=()
	for s in search ads favorites reviews display; do
		f0[$s]=$(metric_sum "$(ds_url $s)" storectl_consumer_fetches_total)
		e0[$s]=$(metric_sum "$(ds_url $s)" storectl_consumer_events_total)
	done
	for s in "${SERVICES[@]}"; do c0+=("$(cpu_ticks "$s")"); done
	start=$(date +%s%3N)
	$LOAD edits "$STORE_URL" "$stores" 0 "$count" "$T/burst$tag.acks" 4 >"$RES/burst_load$tag.json"
	deadline=$((SECONDS + wait))
	while :; do
		$LOAD converge "$stores.final" "$T/reactions.log" "$start" >"$RES/converge$tag.json"
		jq -e '(keys | length) >= 5 and all(.[]; .converged)' "$RES/converge$tag.json" \
			>/dev/null && break
		[ "$SECONDS" -lt "$deadline" ] ||
			{ log "burst$tag: not every service converged in $wait s"; break; }
		sleep 1
	done
	local waited=$(( $(date +%s%3N) - start ))
	cp "$stores.final" "$stores"
	i=0
	for s in "${SERVICES[@]}"; do c1+=("$(( $(cpu_ticks "$s") - ${c0[$i]} ))"); i=$((i + 1)); done
	{
		printf '{'
		sep=
		for s in search ads favorites reviews display; do
			f=$(($(metric_sum "$(ds_url $s)" storectl_consumer_fetches_total) - f0[$s]))
			e=$(($(metric_sum "$(ds_url $s)" storectl_consumer_events_total) - e0[$s]))
			printf '%s"%s":{"fetches":%d,"events":%d}' "$sep" "$s" "$f" "$e"
			sep=,
		done
		printf ',"cpu_ticks":{'
		sep=; i=0
		for s in "${SERVICES[@]}"; do printf '%s"%s":%d' "$sep" "$s" "${c1[$i]}"; sep=,; i=$((i + 1)); done
		printf '},"hz":%d,"edits":%d,"stores":%d,"waited_ms":%d}\n' "$(getconf CLK_TCK)" "$count" \
			"$(wc -l <"$stores")" "$waited"
	} >"$RES/burst_fetches$tag.json"
}

# restart_downstream BATCH_MAX: the four downstream services and
# display-svc again with --batch-max (through STORECTL_BATCH_MAX), on their
# databases and committed offsets.
restart_downstream() {
	local s
	for s in search ads favorites reviews display; do stop_proc "$s"; done
	STORECTL_BATCH_MAX=$1 start_downstream
	STORECTL_BATCH_MAX=$1 start_display
	wait_assigned search ads favorites reviews
}

cp "$T/stores.final" "$T/stores" 2>/dev/null || true
log "burst: $BURST edits over $STORES stores"
run_burst "" "$T/stores" "$BURST"
rss_json >"$RES/rss_load.json"

# The baseline: the same burst with coalescing off (--batch-max 1: one
# event per batch, so one store fetch per event), then back to the default.
log "burst baseline: $BURST edits with --batch-max 1 (coalescing off)"
# Without coalescing a service may not catch up in reasonable time: it
# gets BASELINE_WAIT seconds, and its events/s is what it did by then.
restart_downstream 1
run_burst _nocoalesce "$T/stores" "$BURST" "$BASELINE_WAIT"
restart_downstream 500
# What the baseline left unconsumed is drained before the next figures.
deadline=$((SECONDS + BURST_WAIT))
until $LOAD converge "$T/stores" "$T/reactions.log" 0 |
	jq -e '(keys | length) >= 5 and all(.[]; .converged)' >/dev/null; do
	[ "$SECONDS" -lt "$deadline" ] || { log "the services did not catch up after the baseline"; break; }
	sleep 1
done

# ---- growth: the same figures with 10x and 100x the rate or the stores -----
# Propagation at GROW_RATES edits/s (GROW_S seconds each), then a burst of
# GROW_BURST edits over each of GROW_STORES stores (the largest set first;
# the smaller ones are its first lines, so every file holds current
# versions).
for rate in $GROW_RATES; do
	log "growth: propagation at $rate edits/s for ${GROW_S}s"
	$LOAD edits "$STORE_URL" "$T/stores" "$rate" $((rate * GROW_S)) \
		"$T/grow_prop_$rate.acks" $((rate >= 500 ? 8 : 2)) >"$RES/grow_prop_load_$rate.json"
	cp "$T/stores.final" "$T/stores"
	sleep 3
	$LOAD propagation "$T/grow_prop_$rate.acks" "$T/reactions.log" >"$RES/grow_prop_$rate.json"
done
big=0
for n in $GROW_STORES; do [ "$n" -gt "$big" ] && big=$n; done
have=$(wc -l <"$T/stores")
cp "$T/stores" "$T/grow_stores"
if [ "$big" -gt "$have" ]; then
	log "growth: seeding $((big - have)) more stores"
	$LOAD seed "$STORE_URL" $((big - have)) "$T/more_stores"
	cat "$T/more_stores" >>"$T/grow_stores"
fi
for n in $(tr ' ' '\n' <<<"$GROW_STORES" | sort -rn); do
	head -n "$n" "$T/grow_stores" >"$T/grow_$n"
	log "growth: burst of $GROW_BURST edits over $n stores"
	run_burst "_grow_$n" "$T/grow_$n" "$GROW_BURST"
	# Carry the new versions back into the big file.
	awk 'NR == FNR { v[$1] = $2; next } { print $1, ($1 in v ? v[$1] : $2) }' \
		"$T/grow_$n" "$T/grow_stores" >"$T/grow_stores.new"
	mv "$T/grow_stores.new" "$T/grow_stores"
done

# ---- HTTP read paths with wrk -----------------------------------------------
# wrk_json NAME URL [wrk args...]: req/s, p50, p99 (ms) of one wrk run.
wrk_json() {
	local name=$1 url=$2
	shift 2
	command wrk -t2 -c16 -d"${WRK_S}s" --latency "$@" "$url" >"$T/wrk-$name.txt" 2>&1 || true
	awk -v name="$name" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
				 if (v ~ /s$/) return v * 1000; return v }
		$1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
		$1 == "Requests/sec:" { rps = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "{\"rps\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"non2xx\":%d}\n",
			rps + 0, p50 + 0, p99 + 0, bad + 0 }' "$T/wrk-$name.txt" >"$RES/wrk_$name.json"
}
start_proc bare "$T/bare_mhd" 2 >"$T/bare.addr"
BARE_URL=$(cat "$T/bare.addr")
# The token reaches wrk through the environment, never its command line.
printf 'wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")\n' >"$T/auth.lua"
AUTH=(-s "$T/auth.lua")
ID1=$(head -n1 "$T/stores" | cut -d' ' -f1)
IDS=$(head -n100 "$T/stores" | cut -d' ' -f1 | paste -sd,)
log "wrk: bare libmicrohttpd, /stores/{id}, /stores?ids= (100), /shops/{id}, /shops?..."
wrk_json bare "$BARE_URL/"
wrk_json store_one "$STORE_URL/stores/$ID1" "${AUTH[@]}"
wrk_json store_ids "$STORE_URL/stores?ids=$IDS" "${AUTH[@]}"
wrk_json shop_one "$DISPLAY_URL/shops/$ID1"
wrk_json shop_list "$DISPLAY_URL/shops?area=area-1&limit=20"
# The baseline again after the others: the better of its two runs counts,
# so a noisy first run does not flatter the ratios.
cp "$RES/wrk_bare.json" "$T/wrk_bare1.json"
wrk_json bare "$BARE_URL/"
jq -s 'max_by(.rps)' "$T/wrk_bare1.json" "$RES/wrk_bare.json" >"$T/wrk_bare.json"
mv "$T/wrk_bare.json" "$RES/wrk_bare.json"
rss_json >"$RES/rss_http.json"

# The list query at a fixed 1,000 req/s (open loop: latency from the time a
# request was due), beside GET /stores/{id} at the same rate.
log "fixed rate: /shops?... and /stores/{id} at 1,000 req/s for ${FIXED_S}s"
BENCH_TOKEN= "$T/fixed_rate" "$DISPLAY_URL/shops?area=area-1&limit=20" 1000 "$FIXED_S" \
	>"$RES/fixed_shop_list.json"
"$T/fixed_rate" "$STORE_URL/stores/$ID1" 1000 "$FIXED_S" >"$RES/fixed_store_one.json"

# ---- profile of the hottest read path ---------------------------------------
if [ "${BENCH_PROFILE:-1}" = 1 ] && command -v perf >/dev/null; then
	log "profile: perf record of store-svc under GET /stores/{id}"
	perf record -F 499 -g -o "$T/perf.data" -p "${PID_OF[store]}" -- sleep 3 \
		>/dev/null 2>&1 &
	ppid=$!
	command wrk -t2 -c16 -d3s "${AUTH[@]}" "$STORE_URL/stores/$ID1" >/dev/null 2>&1 || true
	wait "$ppid" || true
	perf report -i "$T/perf.data" --stdio --no-children --sort symbol 2>/dev/null |
		grep -v '^$' | grep -E '^ +[0-9]' | head -n 25 >"$ROOT/bench/results/profile-store-svc.txt" || true
fi

kill "${PID_OF[kcat_reactions]}" 2>/dev/null || true
wait "${PID_OF[kcat_reactions]}" 2>/dev/null || true
unset "PID_OF[kcat_reactions]"

# ---- the console under load vs idle (its own broker and tmux) --------------
log "console: $CONSOLE_RATE events/s (+1 reaction each) for ${CONSOLE_SECS}s vs idle, in tmux; then storectl tail vs kcat"
CONSOLE_RATE=$CONSOLE_RATE CONSOLE_SECS=$CONSOLE_SECS timeout $((CONSOLE_SECS + 240)) "$ROOT/bench/console.sh" "$RES" \
	>"$T/console.out" 2>&1 || log "console: failed: $(tail -n 5 "$T/console.out")"

printf '{"mode":"%s","stores":%d,"prop_rate":%d,"prop_seconds":%d,"burst":%d,"wrk_seconds":%d,"grow_rates":"%s","grow_stores":"%s","grow_burst":%d,"grow_seconds":%d,"cpus":%d,"at":"%s","commit":"%s"}\n' \
	"$MODE" "$STORES" "$PROP_RATE" "$PROP_S" "$BURST" "$WRK_S" "$GROW_RATES" "$GROW_STORES" \
	"$GROW_BURST" "$GROW_S" "$(nproc)" \
	"$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD 2>/dev/null)" >"$RES/run.json"
python3 "$ROOT/bench/report.py" "$RES" "$ROOT/bench/results/latest.json"
