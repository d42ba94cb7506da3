#!/usr/bin/env bash
# A short `make load`: store-svc under wrk readers and racing writers for a
# few seconds answers nothing but 2xx and the expected 412s, and its RSS
# stays flat (scripts/store-load.sh does the checks and fails the test).
cd "$(dirname "$0")/../.."
LOAD_SECS=${LOAD_SECS:-6} LOAD_STORES=${LOAD_STORES:-40} exec bash scripts/store-load.sh
