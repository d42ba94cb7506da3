#!/usr/bin/env bash
# The console's configuration: ~/.config/storectl/config gives endpoints,
# the token and librdkafka properties; the environment wins over it and
# options over both. A bad file is refused before the screen opens, naming
# the line; so is a token others can read. --help lists the endpoints.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/console_lib.sh"

# --help names every console endpoint option and the file.
"$BIN/storectl" --help >"$T/help.txt"
for opt in --store-api --search-api --ads-api --favorites-api --reviews-api \
	--display-api --brokers --token '~/.config/storectl/config'; do
	grep -q -- "$opt" "$T/help.txt" || fail "--help does not mention $opt"
done

home="$T/home"
conf="$home/.config/storectl/config"
mkdir -p "$(dirname "$conf")"
run_bare() { env -u STORECTL_TOKEN HOME="$home" "$BIN/storectl" "$@"; }

# Errors name the file and the line; nothing opens.
printf 'store_api = http://127.0.0.1:1\n# a comment\nstor_api = http://x\n' >"$conf"
if run_bare </dev/null >"$T/out" 2>"$T/err"; then fail "a bad config was accepted"; fi
grep -q "config:3: unknown key \"stor_api\"" "$T/err" || fail "no line in: $(cat "$T/err")"
printf 'brokers = 127.0.0.1:1\nstore_api = stores:8080\n' >"$conf"
run_bare </dev/null 2>"$T/err" && fail "a URL without http:// was accepted"
grep -q "config:2: store_api must be an http:// or https:// URL" "$T/err" ||
	fail "unexpected: $(cat "$T/err")"
printf 'store_api = http://127.0.0.1:1\nbrokers = 127.0.0.1:1\ntoken = abc\n' >"$conf"
chmod 644 "$conf"
run_bare </dev/null 2>"$T/err" && fail "a token others can read was accepted"
grep -q "config:3: holds a token, but others may read the file; chmod 600" "$T/err" ||
	fail "unexpected: $(cat "$T/err")"
# A librdkafka property it does not know is refused by name.
printf 'store_api = http://127.0.0.1:1\nbrokers = 127.0.0.1:1\nkafka.no.such.property = 1\n' >"$conf"
chmod 600 "$conf"
run_bare </dev/null 2>"$T/err" && fail "an unknown kafka property was accepted"
grep -q "no.such.property" "$T/err" || fail "the property is not named: $(cat "$T/err")"

# The file alone: endpoints, token (the store API needs it) and -X.
start_broker
start_store
{
	echo "# storectl console"
	echo "store_api = $STORE_URL"
	echo "brokers = $BROKERS"
	echo "token = \"$OPERATOR_TOKEN\""
	echo "kafka.fetch.wait.max.ms = 5"
} >"$conf"
chmod 600 "$conf"
api POST "$STORE_URL/stores" '{"owner":"owner-1","name":"Config Store","category":"cafe"}'
[ "$STATUS" = 201 ] || fail "create answered $STATUS: $BODY"
console_start_line "env -u STORECTL_TOKEN HOME=$home $BIN/storectl"
wait_screen 10 '^ +1 Config Store +owner-1 '
wait_screen 5 '^ storectl \| api ok \| kafka live'
keys q
console_quit_check
console_stop

# The environment wins over the file...
console_start_line "env -u STORECTL_TOKEN HOME=$home STORECTL_STORE_API=http://127.0.0.1:1 $BIN/storectl"
wait_screen 10 '^ storectl \| api 127.0.0.1:1 UNREACHABLE'
keys q
console_quit_check
console_stop

# ...and an option over the environment.
console_start_line "env -u STORECTL_TOKEN HOME=$home STORECTL_STORE_API=http://127.0.0.1:1 $BIN/storectl --store-api $STORE_URL"
wait_screen 10 '^ +1 Config Store +owner-1 '
keys q
console_quit_check
log "ok"
