#!/bin/sh
# Install the Debian packages storectl needs to build, run and test.
# Does nothing when every package is already present.
set -eu

PACKAGES="build-essential pkg-config
librdkafka-dev libmicrohttpd-dev libsqlite3-dev libjansson-dev
libcurl4-openssl-dev libncurses-dev libcmocka-dev
tmux curl jq sqlite3 kcat wrk
clang libclang-rt-14-dev python3"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
