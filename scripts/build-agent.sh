#!/usr/bin/env bash
# Builds the exec agent (agent/quire-exec-agent.c, docs/exec-agent.md) as static Linux binaries:
#   target/agent/linux-amd64/quire-exec-agent   with musl-gcc (Debian's musl-tools), else gcc -static (glibc)
#   target/agent/linux-arm64/quire-exec-agent   with aarch64-linux-gnu-gcc -static, when that cross compiler is there
# and, when given a resource directory, copies them to <dir>/io/jenkins/plugins/quire/container/agent/<platform>/
# (the jar's resources; `mvn package` does that). Idempotent: a binary newer than its source is kept.
# Missing toolchain: a clear error naming the package (scripts/install-prereqs.sh installs it). Only amd64 can be
# tested on this project's machines; arm64 is built (when the cross compiler is there) but not run.
# Usage: build-agent.sh [--target-dir DIR] [RESOURCE_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/agent/quire-exec-agent.c
TARGET=$ROOT/target
RES=
while (($#)); do
  case "$1" in
    --target-dir) TARGET=$2; shift 2 ;;
    -*) echo "build-agent: unknown option '$1' (expected --target-dir DIR)" >&2; exit 2 ;;
    *) RES=$1; shift ;;
  esac
done
[ -f "$SRC" ] || { echo "build-agent: $SRC is missing" >&2; exit 1; }
CFLAGS=(-static -Os -s -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 -fstack-protector-strong)

# build PLATFORM COMPILER... : compiles when the output is missing or older than the source, then checks it is static
build() {
  local platform=$1; shift
  local out=$TARGET/agent/$platform/quire-exec-agent
  mkdir -p "$(dirname "$out")"
  if [ ! -x "$out" ] || [ "$SRC" -nt "$out" ] || [ "${BASH_SOURCE[0]}" -nt "$out" ]; then
    "$@" "${CFLAGS[@]}" -o "$out.tmp" "$SRC"
    mv "$out.tmp" "$out"
    echo "build-agent: built $out ($(stat -c %s "$out") bytes)" >&2
  fi
  if command -v file >/dev/null 2>&1 && ! file "$out" | grep -q 'statically linked\|static-pie linked'; then
    echo "build-agent: $out is not statically linked" >&2; exit 1
  fi
  if [ -n "$RES" ]; then
    local dest=$RES/io/jenkins/plugins/quire/container/agent/$platform
    mkdir -p "$dest"
    cp -p "$out" "$dest/quire-exec-agent"
  fi
}

case "$(uname -m)" in
  x86_64)
    if command -v musl-gcc >/dev/null 2>&1; then build linux-amd64 musl-gcc
    elif command -v gcc >/dev/null 2>&1 && [ -f /usr/lib/x86_64-linux-gnu/libc.a ]; then build linux-amd64 gcc
    else
      echo "build-agent: no static C toolchain for linux/amd64: install Debian's musl-tools (bash scripts/install-prereqs.sh does)" >&2
      exit 1
    fi
    if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then build linux-arm64 aarch64-linux-gnu-gcc
    else echo "build-agent: aarch64-linux-gnu-gcc not found: no linux/arm64 agent (Debian's gcc-aarch64-linux-gnu builds it)" >&2
    fi ;;
  aarch64)
    if command -v musl-gcc >/dev/null 2>&1; then build linux-arm64 musl-gcc
    else echo "build-agent: no static C toolchain for linux/arm64: install Debian's musl-tools" >&2; exit 1
    fi ;;
  *) echo "build-agent: cannot build the agent on $(uname -m): only linux/amd64 (and arm64) are supported" >&2; exit 1 ;;
esac
