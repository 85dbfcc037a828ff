#!/bin/bash
# build-test-images.sh: build the local test images without any registry, only if they are missing.
#
# Why: tests and the demo must never depend on a registry. Both images come from Debian packages
# fetched through this machine's own apt sources (read at run time; no mirror host is written here).
#   quire-test:busybox  ~2 MB: Debian's busybox-static with every applet linked (sh sleep cat head dd kill ps ...)
#   quire-test:debian   ~170 MB: Debian minbase (bash, coreutils, git, procps) made by mmdebstrap
#
# Usage: scripts/build-test-images.sh [busybox|debian|all] [--force]
#   default all; --force rebuilds even if the tag exists. Needs a running engine (see ensure-docker.sh).
set -euo pipefail

WHICH=all
FORCE=0
for a in "$@"; do
  case "$a" in
    busybox|debian|all) WHICH=$a ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build-test-images.sh: unknown argument '$a' (expected busybox, debian, all or --force)" >&2; exit 2 ;;
  esac
done

BUSYBOX_TAG=${QUIRE_BUSYBOX_IMAGE:-quire-test:busybox}
DEBIAN_TAG=${QUIRE_DEBIAN_IMAGE:-quire-test:debian}
SUITE=${QUIRE_DEBIAN_SUITE:-bookworm}
PACKAGES=${QUIRE_DEBIAN_PACKAGES:-git,procps,ca-certificates}

say() { echo "[build-test-images] $*"; }
have_image() { [ $FORCE = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

# The machine's apt sources file (deb822 first, else the one-line format).
apt_sources_file() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -s "$f" ] && grep -q '^URIs:' "$f" && { echo "$f"; return; }
  done
  [ -s /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list && { echo /etc/apt/sources.list; return; }
  echo "build-test-images.sh: no apt sources found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2
  exit 1
}

build_busybox() {
  if have_image "$BUSYBOX_TAG"; then say "$BUSYBOX_TAG exists, skipping"; return; fi
  local t0=$SECONDS root stage bb
  root=$(mktemp -d /tmp/quire-busybox.XXXXXX)
  stage=$(mktemp -d /tmp/quire-busybox-deb.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$root' '$stage'" RETURN
  if dpkg -s busybox-static >/dev/null 2>&1 && [ -x /bin/busybox ]; then
    bb=/bin/busybox
  else
    # Fetch the package without installing it (it would replace a host's dynamic busybox).
    say "downloading busybox-static (not installed on the host)"
    (cd "$stage" && apt-get download -qq busybox-static >/dev/null 2>&1) \
      || { apt-get update -qq >/dev/null 2>&1 || true; (cd "$stage" && apt-get download -qq busybox-static); }
    dpkg-deb -x "$stage"/busybox-static_*.deb "$stage/x"
    bb="$stage/x/bin/busybox"
  fi
  mkdir -p "$root"/{bin,tmp,work,proc,sys,dev,etc}
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  local n=0 a
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || { ln -sf busybox "$root/bin/$a"; n=$((n + 1)); }
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" --numeric-owner -c . \
    | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$BUSYBOX_TAG" >/dev/null
  say "built $BUSYBOX_TAG ($n applets) in $((SECONDS - t0)) s: $(docker image inspect "$BUSYBOX_TAG" --format '{{.Size}}') bytes"
}

build_debian() {
  if have_image "$DEBIAN_TAG"; then say "$DEBIAN_TAG exists, skipping"; return; fi
  local t0=$SECONDS src
  src=$(apt_sources_file)
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    say "installing mmdebstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }
  fi
  say "building $DEBIAN_TAG ($SUITE minbase + $PACKAGES) with mmdebstrap from $src; this takes about a minute ..."
  # The rootfs streams as a tar straight into docker import; progress lines (I: ...) go to stderr.
  # Hooks empty the image's apt sources so no mirror name ends up inside the image.
  mmdebstrap --variant=minbase --include="$PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook='mkdir -p "$1/work"' \
    --customize-hook='rm -f "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*; : > "$1"/etc/apt/sources.list' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" - "$src" 2> >(sed -u 's#[a-z]*://[^ /]*#<apt-mirror>#g; s/^/  /' >&2) \
  | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'CMD ["/bin/bash"]' - "$DEBIAN_TAG" >/dev/null
  docker image inspect "$DEBIAN_TAG" >/dev/null 2>&1 \
    || { echo "build-test-images.sh: building $DEBIAN_TAG failed (see the mmdebstrap output above)" >&2; exit 1; }
  say "built $DEBIAN_TAG in $((SECONDS - t0)) s: $(docker image inspect "$DEBIAN_TAG" --format '{{.Size}}') bytes"
}

case "$WHICH" in
  busybox) build_busybox ;;
  debian) build_debian ;;
  all) build_busybox; build_debian ;;
esac
