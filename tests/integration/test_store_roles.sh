#!/usr/bin/env bash
# Owners and roles: each role (no token, a wrong token, owner-1, owner-2,
# operator, service) against each endpoint on an own and a foreign store;
# another owner's store answers 404 as if it did not exist. Tokens never
# reach the log; they are stored hashed; a restart without --tokens keeps
# them; a bad tokens file stops the start; with no token anywhere it does
# not start, unless --insecure-open, and then the API runs open and says so.
. "$(dirname "$0")/../lib.sh"

fails=0
checks=0
note() {
	log "FAIL $*"
	fails=$((fails + 1))
}

start_broker
start_store
BAD_TOKEN=$(new_token)
declare -A TOKEN=([none]='' [bad]=$BAD_TOKEN [owner1]=$OWNER1_TOKEN [owner2]=$OWNER2_TOKEN
	[operator]=$OPERATOR_TOKEN [service]=$SERVICE_TOKEN)

# call ROLE METHOD PATH [BODY]: sets STATUS and $T/resp. Writes send
# If-Match: * so the matrix does not track versions.
call() {
	local role=$1 method=$2 path=$3 body=${4:-}
	local args=(-sS -o "$T/resp" -D "$T/hdr" -w '%{http_code}' -H 'If-Match: *')
	if [ "$method" = HEAD ]; then args+=(-I); else args+=(-X "$method"); fi
	if [ -n "${TOKEN[$role]}" ]; then
		printf 'Authorization: Bearer %s\n' "${TOKEN[$role]}" >"$T/auth"
		args+=(-H "@$T/auth")
	fi
	[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
	STATUS=$(curl "${args[@]}" "$STORE_URL$path" || true)
}

# expect ROLE METHOD PATH WANT [BODY]
expect() {
	checks=$((checks + 1))
	call "$1" "$2" "$3" "${5:-}"
	[ "$STATUS" = "$4" ] || note "$1 $2 $3: want $4, got $STATUS: $(head -c 200 "$T/resp")"
}

# A store of owner-1 (A) and one of owner-2 (B), each with a menu item.
new_store() { # OWNER: prints the id of a new store of OWNER with item 1
	call operator POST /stores "{\"owner\":\"$1\",\"name\":\"store of $1\",\"category\":\"cafe\",
		\"menu\":[{\"name\":\"coffee\",\"price\":3000}]}"
	[ "$STATUS" = 201 ] || fail "creating a store of $1: $STATUS $(cat "$T/resp")"
	jq -r .id "$T/resp"
}
A=$(new_store owner-1)
B=$(new_store owner-2)

ITEM='{"name":"tea","price":2000}'
PATCH='{"description":"edited"}'
# endpoint_matrix ROLE STORE READ WRITE CREATE DELETE: every endpoint of
# STORE as ROLE, expecting READ from reads, WRITE from edits, CREATE from
# adding an item and DELETE from deleting one. Item ids are never given
# out twice, so it works on the store's current "coffee" item.
endpoint_matrix() {
	local role=$1 s=$2 read=$3 write=$4 create=$5 del=$6
	local put item
	call operator GET "/stores/$s"
	put=$(jq -c 'del(.id,.version,.created_at,.updated_at) | .description = "put"' "$T/resp")
	item=$(jq -r '[.menu[] | select(.name == "coffee") | .id][0]' "$T/resp")
	expect "$role" GET "/stores/$s" "$read"
	expect "$role" HEAD "/stores/$s" "$read"
	expect "$role" GET "/stores/$s/menu" "$read"
	expect "$role" GET "/stores/$s/menu/$item" "$read"
	expect "$role" PATCH "/stores/$s" "$write" "$PATCH"
	expect "$role" PUT "/stores/$s" "$write" "$put"
	expect "$role" POST "/stores/$s/menu" "$create" "$ITEM"
	expect "$role" PATCH "/stores/$s/menu/$item" "$write" '{"sold_out":true}'
	expect "$role" PUT "/stores/$s/menu/$item" "$write" '{"name":"coffee","price":3500}'
	expect "$role" DELETE "/stores/$s/menu/$item" "$del"
	[ "$del" != 204 ] || call operator POST "/stores/$s/menu" '{"name":"coffee","price":3000}'
}

#               role     store read write create delete
endpoint_matrix none     "$A"  401  401   401    401
endpoint_matrix bad      "$A"  401  401   401    401
endpoint_matrix owner1   "$A"  200  200   201    204
endpoint_matrix owner1   "$B"  404  404   404    404
endpoint_matrix owner2   "$B"  200  200   201    204
endpoint_matrix owner2   "$A"  404  404   404    404
endpoint_matrix operator "$A"  200  200   201    204
endpoint_matrix operator "$B"  200  200   201    204
endpoint_matrix service  "$A"  200  403   403    403
endpoint_matrix service  "$B"  200  403   403    403

# 401 says how to authenticate; 404 for a foreign store says what a
# missing one says.
call none GET "/stores/$A"
grep -qi '^www-authenticate: Bearer' "$T/hdr" || note "401 without WWW-Authenticate"
call bad GET "/stores/$A"
grep -qi 'error="invalid_token"' "$T/hdr" || note "a wrong token is not named invalid_token"
call owner1 GET "/stores/$B"
foreign=$(jq -c 'del(.detail)' "$T/resp")
call owner1 GET /stores/99999
[ "$foreign" = "$(jq -c 'del(.detail)' "$T/resp")" ] || note "a foreign store answers unlike a missing one: $foreign"
checks=$((checks + 3))

# Creating, listing, ids=, /health and /metrics per role.
expect none POST /stores 401 '{"owner":"owner-1","name":"n","category":"cafe"}'
expect service POST /stores 403 '{"owner":"owner-1","name":"n","category":"cafe"}'
expect owner1 POST /stores 403 '{"owner":"owner-2","name":"n","category":"cafe"}'
expect owner1 POST /stores 201 '{"owner":"owner-1","name":"n","category":"cafe"}'
expect owner1 POST /stores 201 '{"name":"mine","category":"cafe"}'
[ "$(jq -r .owner "$T/resp")" = owner-1 ] || note "an owner's new store is not theirs"
expect operator POST /stores 201 '{"owner":"owner-9","name":"n","category":"cafe"}'
expect owner1 PATCH "/stores/$A" 403 '{"owner":"owner-2"}'
expect operator PATCH "/stores/$A" 200 '{"owner":"owner-3"}'
expect owner1 GET "/stores/$A" 404
expect operator PATCH "/stores/$A" 200 '{"owner":"owner-1"}'
expect owner1 GET "/stores/$A" 200

for role in none bad; do
	expect $role GET /stores 401
	expect $role GET "/stores?ids=$A" 401
	expect $role GET /metrics 401
	expect $role GET /health 200
done
expect owner1 GET /stores 200
[ "$(jq -c '[.stores[].owner] | unique' "$T/resp")" = '["owner-1"]' ] || note "owner-1 lists others' stores"
expect owner1 GET "/stores?owner=owner-2" 403
expect owner1 GET "/stores?owner=owner-1&category=cafe" 200
expect owner1 GET "/stores?ids=$A,$B" 200
[ "$(jq -c '[[.stores[].id], .missing]' "$T/resp")" = "[[$A],[$B]]" ] || note "owner-1 ids=: $(cat "$T/resp")"
for role in operator service; do
	expect $role GET /stores 200
	[ "$(jq '[.stores[].owner] | unique | length' "$T/resp")" -ge 3 ] || note "$role does not list every owner"
	expect $role GET "/stores?ids=$A,$B" 200
	[ "$(jq -c '[.stores[].id]' "$T/resp")" = "[$A,$B]" ] || note "$role ids=: $(cat "$T/resp")"
	expect $role GET "/stores?owner=owner-2" 200
	expect $role GET /metrics 200
	expect $role GET /health 200
done
for role in owner1 owner2; do
	expect $role GET /metrics 403
	expect $role GET /health 200
done

# Deleting: the owner's own store; another owner's stays hidden, even gone.
expect owner2 DELETE "/stores/$A" 404
expect service DELETE "/stores/$A" 403
expect owner1 DELETE "/stores/$A" 204
expect owner1 GET "/stores/$A" 410
expect owner2 GET "/stores/$A" 404
expect operator GET "/stores/$A" 410
expect owner2 GET "/stores?ids=$A" 200
[ "$(jq -c '[.deleted, .missing]' "$T/resp")" = "[[],[$A]]" ] || note "owner-2 sees a deleted foreign store: $(cat "$T/resp")"
expect operator DELETE "/stores/$B" 204

# Tokens are never logged and are stored hashed.
for role in owner1 owner2 operator service bad; do
	! grep -qF "${TOKEN[$role]}" "$T/store.log" || note "the $role token is in the log"
	! sqlite3 "$T/store.db" .dump | grep -qF "${TOKEN[$role]}" || note "the $role token is in the database"
done
[ "$(sqlite3 "$T/store.db" 'select count(*) from tokens where length(hash) = 64')" = 4 ] ||
	note "4 token digests expected in the database"
checks=$((checks + 11))

# A restart without --tokens keeps enforcing the stored set.
stop_proc store
start_proc store2 "$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/store.db" --brokers "$BROKERS" >"$T/store2.addr"
STORE_URL=$(cat "$T/store2.addr")
expect none GET /stores 401
expect owner1 GET /stores 200
grep -q 'kept in the database' "$T/store2.log" || note "restart: the stored tokens are not announced"
stop_proc store2

# A bad tokens file stops the start with a reason naming the entry, never
# the token.
printf '{"tokens":[{"token":"%s","role":"owner"}]}' "$BAD_TOKEN" >"$T/bad-tokens.json"
"$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/other.db" --brokers "$BROKERS" \
	--tokens "$T/bad-tokens.json" >"$T/bad.log" 2>&1 && note "a tokens file without owner was accepted"
grep -q 'tokens\[0\].owner' "$T/bad.log" || note "the bad entry is not named: $(cat "$T/bad.log")"
! grep -qF "$BAD_TOKEN" "$T/bad.log" || note "the bad file's token is in the log"
printf '{"tokens":[{"token":"short","role":"service"}]}' >"$T/bad-tokens.json"
STORECTL_TOKENS=$T/bad-tokens.json "$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/other.db" \
	--brokers "$BROKERS" >"$T/bad.log" 2>&1 && note "a short token was accepted (STORECTL_TOKENS)"
grep -q 'tokens\[0\].token' "$T/bad.log" || note "the short token is not named: $(cat "$T/bad.log")"
checks=$((checks + 5))

# No token anywhere: no start, unless asked for open mode, which is
# announced loudly.
"$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/open.db" --brokers "$BROKERS" >"$T/noauth.log" 2>&1 &&
	note "store-svc started with no token anywhere"
grep -q 'no bearer tokens: give --tokens FILE' "$T/noauth.log" || note "the refusal does not say why: $(cat "$T/noauth.log")"
start_proc open "$BIN/store-svc" --listen 127.0.0.1:0 --db "$T/open.db" --brokers "$BROKERS" \
	--insecure-open >"$T/open.addr"
STORE_URL=$(cat "$T/open.addr")
grep -q 'AUTHENTICATION IS OFF' "$T/open.log" || note "open mode is not announced"
expect none POST /stores 201 '{"owner":"owner-1","name":"n","category":"cafe"}'
expect none GET /metrics 200
[ "$(curl -sf "$STORE_URL/health" | jq -r .auth)" = open ] || note "health does not say open"
checks=$((checks + 4))

[ "$fails" -eq 0 ] || fail "$fails of $checks checks failed"
log "ok ($checks checks)"
