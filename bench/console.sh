#!/usr/bin/env bash
# bench/console.sh RESDIR: the console under a flood of records vs idle
# (run by bench/run.sh; its own broker, so the services see none of it).
#
# The console runs in tmux on the Stream screen against an embedded broker.
# Idle: CPU over a few seconds, RSS, key-to-screen latency (Enter of
# ':stores' / ':stream' until the screen's title changed, polled every
# ~5 ms). Load: store.events at RATE events/s, each followed by one
# reaction, for SECS seconds, paced by Python into two kcat producers; the
# same three measures meanwhile, RSS at the end. Writes RESDIR/console.json.
# First, on the same broker: storectl tail against kcat (RESDIR/tail.json).
RESDIR=$1
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export BIN=${BIN:-bin}
source "$ROOT/tests/lib.sh"
source "$ROOT/tests/tmux/console_lib.sh"
TEST_NAME=bench-console
RATE=${CONSOLE_RATE:-5000}
SECS=${CONSOLE_SECS:-20}

start_broker
# The headless tail against kcat, before the console starts: TAIL_N events
# and as many reactions (below the broker's retention of 5 MiB per
# partition), then each from the beginning until TAIL_N events (the tail
# also reads and joins the reactions, as the pane does). Wall time from
# start to exit, so both pay their connection and metadata; the better of
# two runs each.
n=${TAIL_N:-100000}
python3 - "$n" >"$T/tail.ev" 3>"$T/tail.re" <<'EOF_PY'
import os, sys
n = int(sys.argv[1]); at = "2026-11-24T12:00:00.000Z"
re_ = os.fdopen(3, "w")
for i in range(n):
    s = i % 1000 + 5001; v = i // 1000 + 1   # stores the feed below never uses
    sys.stdout.write('%d\t{"event_id":"t%d","store_id":%d,"type":"updated","version":%d,"fields":["name"],"at":"%s"}\n' % (s, i, s, v, at))
    re_.write('%d\t{"service":"search","store_id":%d,"event_version":%d,"applied_version":%d,"action":"applied","coalesced":1,"took_ms":0.5,"lag_ms":2.5,"error":null,"at":"%s"}\n' % (s, s, v, v, at))
EOF_PY
command kcat -P -b "$BROKERS" -t store.events -K '\t' -X linger.ms=5 -l "$T/tail.ev"
command kcat -P -b "$BROKERS" -t store.reactions -K '\t' -X linger.ms=5 -l "$T/tail.re"
secs_of() { local t0 t1; t0=$(date +%s%N); "$@" >"$T/tailbench.out" 2>"$T/tailbench.err" || return 1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
best=()
for who in kcat tail; do
	b=
	for _ in 1 2; do
		if [ "$who" = kcat ]; then
			ms=$(secs_of timeout 120 kcat -C -b "$BROKERS" -t store.events -o beginning -c "$n" -q \
				-X fetch.wait.max.ms=5 -f '%s\n')
		else
			ms=$(secs_of timeout 120 "$BIN/storectl" tail --brokers "$BROKERS" -X fetch.wait.max.ms=5 \
				--from-beginning --count "$n" --quiet)
			[ -z "$ms" ] || reactions=$(grep -o '[0-9]* reactions' "$T/tailbench.out" | cut -d' ' -f1)
		fi
		[ -n "$ms" ] && { [ -z "$b" ] || [ "$ms" -lt "$b" ]; } && b=$ms
	done
	best+=("${b:-0}")
done
printf '{"events":%d,"kcat_ms":%d,"tail_ms":%d,"tail_reactions_read":%d}\n' "$n" "${best[0]}" "${best[1]}" \
	"${reactions:-0}" >"$RESDIR/tail.json"
cat "$RESDIR/tail.json"
console_start --store-api http://127.0.0.1:1 --brokers "$BROKERS" -X fetch.wait.max.ms=5
wait_screen 15 '^ storectl \| .*kafka [^ ]* ?live'
keys :
type_text stream
keys Enter
wait_screen 5 '^ Stream - '
pid=$(console_pid) || fail "no console process"
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

# key_ms SCREEN PATTERN: ms from Enter of ':SCREEN' until PATTERN shows.
key_ms() {
	local t0 t1 deadline
	keys :
	type_text "$1"
	t0=$(date +%s%N)
	keys Enter
	deadline=$((SECONDS + 5))
	until screen | grep -qE -- "$2"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo 5000; return; }
		sleep 0.005
	done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
# keys_json: p50 and max over 5 round trips (10 switches).
keys_json() {
	local all=()
	for _ in 1 2 3 4 5; do
		all+=("$(key_ms stores '^ Stores - ')" "$(key_ms stream '^ Stream - ')")
	done
	printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR]=$1} END {printf "{\"p50_ms\":%d,\"max_ms\":%d}", a[int((NR+1)/2)], a[NR]}'
}

# Idle.
c0=$(ticks); sleep 5; c1=$(ticks)
idle_cpu=$(awk -v d=$((c1 - c0)) -v hz="$hz" 'BEGIN{printf "%.1f", 100 * d / hz / 5}')
idle_rss=$(rss)
idle_keys=$(keys_json)

# Load: events and reactions paced at RATE/s.
python3 - "$BROKERS" "$RATE" "$SECS" <<'EOF' >"$T/feed.json" 2>"$T/feed.err" &
import subprocess, sys, time, json
brokers, rate, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
def kc(topic):
    return subprocess.Popen(["kcat", "-P", "-b", brokers, "-t", topic, "-K", "\t",
                             "-X", "linger.ms=5"], stdin=subprocess.PIPE, text=True)
ev, re_ = kc("store.events"), kc("store.reactions")
t0 = time.monotonic(); i = 0; tick = 0.05
while time.monotonic() - t0 < secs:
    due = int((time.monotonic() - t0 + tick) * rate)
    eb, rb = [], []
    while i < due:
        s = i % 1000 + 1; v = i // 1000 + 1
        eb.append('%d\t{"event_id":"e%d","store_id":%d,"type":"updated","version":%d,"fields":["name"],"at":"%s"}\n' % (s, i, s, v, at))
        rb.append('%d\t{"service":"search","store_id":%d,"event_version":%d,"applied_version":%d,"action":"applied","coalesced":1,"took_ms":0.5,"lag_ms":2.5,"error":null,"at":"%s"}\n' % (s, s, v, v, at))
        i += 1
    ev.stdin.write("".join(eb)); ev.stdin.flush()
    re_.stdin.write("".join(rb)); re_.stdin.flush()
    time.sleep(tick)
ev.stdin.close(); re_.stdin.close(); ev.wait(); re_.wait()
print(json.dumps({"events": i, "seconds": round(time.monotonic() - t0, 2)}))
EOF
feed=$!
sleep 2
c0=$(ticks); t0=$(date +%s%N)
sleep $((SECS / 2 > 3 ? SECS / 2 - 2 : 1))
load_keys=$(keys_json)
wait "$feed" || fail "the feed failed: $(cat "$T/feed.err")"
c1=$(ticks); t1=$(date +%s%N)
load_cpu=$(awk -v d=$((c1 - c0)) -v hz="$hz" -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", 100 * d / hz / (ns / 1e9)}')
sleep 2
load_rss=$(rss)
printf '{"rate":%d,"seconds":%d,"feed":%s,"idle":{"cpu_pct":%s,"rss_kb":%d,"keys":%s},"load":{"cpu_pct":%s,"rss_kb":%d,"keys":%s}}\n' \
	"$RATE" "$SECS" "$(cat "$T/feed.json")" "$idle_cpu" "$idle_rss" "$idle_keys" \
	"$load_cpu" "$load_rss" "$load_keys" >"$RESDIR/console.json"
cat "$RESDIR/console.json"
keys q

