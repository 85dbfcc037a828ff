#!/usr/bin/env bash
# Installs, through the machine's own apt configuration, what building and testing Quire CI needs on a bare Debian
# machine: a JDK 17, Maven, git, curl, lua5.2 (the reference interpreter of the differential tests) and Debian's
# Chromium + ChromeDriver (the browser end-to-end tests; Selenium never downloads a browser or driver), and the static C
# toolchains of the exec agent (musl-tools for linux/amd64, gcc-aarch64-linux-gnu for linux/arm64; scripts/build-agent.sh).
# Idempotent: installs only what is missing.
# Usage: install-prereqs.sh [--no-browser]   (--no-browser: skip Chromium, e.g. for the demo server)
set -euo pipefail

BROWSER=1
for a in "$@"; do
  case "$a" in
    --no-browser) BROWSER=0 ;;
    *) echo "install-prereqs: unknown argument '$a' (expected --no-browser)" >&2; exit 2 ;;
  esac
done

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v git >/dev/null 2>&1 || need+=(git)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v lua5.2 >/dev/null 2>&1 || need+=(lua5.2)
command -v musl-gcc >/dev/null 2>&1 || need+=(musl-tools)
if [ "$(uname -m)" = x86_64 ]; then
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
fi
if [ $BROWSER = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
fi
if ((${#need[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "install-prereqs: missing ${need[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "install-prereqs: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
