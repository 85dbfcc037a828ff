#!/usr/bin/env bash
# Checks the demo as a new user meets it: copies the tree without target/ and work/ (what a fresh clone has) to a
# temporary folder, runs `bash scripts/main.sh` there with QUIRE_DEMO_NO_WAIT=1 (stop after the first build), and
# fails unless the demo build succeeded, Hudson is gone and no container of the demo server is left.
# Usage: scripts/demo-check.sh [PORT]   (default 18180; the copy is kept under /tmp for inspection)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
PORT=${1:-18180}
COPY=$(mktemp -d /tmp/quire-demo-check.XXXXXX)
echo "[demo-check] copying $SRC to $COPY (without target/, work/, .git/)"
tar -C "$SRC" --exclude=./target --exclude=./work --exclude=./.git -cf - . | tar -C "$COPY" -xf -
cd "$COPY"
t0=$SECONDS
set +e
QUIRE_DEMO_NO_WAIT=1 QUIRE_DEMO_PORT=$PORT bash scripts/main.sh 2>&1 | tee "$COPY/demo-check.log"
rc=${PIPESTATUS[0]}
set -e
echo "[demo-check] scripts/main.sh exited $rc after $((SECONDS - t0)) s"
[ "$rc" = 0 ] || { echo "[demo-check] FAIL: the demo did not finish with a successful build" >&2; exit 1; }
grep -q 'build #1 finished: SUCCESS' "$COPY/demo-check.log" || { echo "[demo-check] FAIL: no successful build #1" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "[demo-check] FAIL: port $PORT still open" >&2; exit 1; fi
left=$(docker ps -aq --filter "label=io.quire.owner=http://127.0.0.1:$PORT/" | wc -l)
[ "$left" = 0 ] || { echo "[demo-check] FAIL: $left containers left" >&2; exit 1; }
grep -q 'demo-upload-token-s3cr3t' "$COPY/work/jobs/quire-demo/config.xml" && { echo "[demo-check] FAIL: secret in clear in config.xml" >&2; exit 1; }
grep -rq 'demo-upload-token-s3cr3t' "$COPY/work/jobs/quire-demo/builds/" && { echo "[demo-check] FAIL: secret in clear in the build" >&2; exit 1; }
echo "[demo-check] PASS: demo build succeeded, Hudson stopped, no container left, secret never in clear ($COPY)"
