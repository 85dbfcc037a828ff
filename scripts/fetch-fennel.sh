#!/usr/bin/env bash
# Obtains fennel.lua 1.5.3 from Debian's `fennel` package (trixie) through apt and places it, verified against
# a pinned sha256, where the Maven build bundles it as a resource. fennel.lua is never committed.
#
# The package host is taken from this machine's own apt configuration; no registry host is written here.
# Usage: fetch-fennel.sh DEST_FILE      (set QUIRE_FENNEL_LUA=/path/to/fennel.lua to use a local copy instead)
set -euo pipefail

DEST=${1:?usage: fetch-fennel.sh DEST_FILE}
SHA256=${FENNEL_SHA256:-c6085d011692b8909ebb57088ad0f34da5f720b1d5ade170741335e1737371da}
VERSION=1.5.3
CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/quire-ci
CACHE="$CACHE_DIR/fennel-$VERSION-$SHA256.lua"

die() {
  cat >&2 <<MSG
ERROR: fennel.lua $VERSION is missing: $*
Quire CI bundles the Fennel compiler from Debian's 'fennel' package (release trixie, $VERSION).
Either let this script fetch it through apt (needs root and a Debian apt configuration), or download
the 'fennel' $VERSION .deb yourself, extract usr/share/lua/5.4/fennel.lua and run the build with
  QUIRE_FENNEL_LUA=/path/to/fennel.lua mvn ...
The file must have sha256 $SHA256.
MSG
  exit 1
}

verify() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

install_to_dest() {
  mkdir -p "$(dirname "$DEST")"
  cp "$1" "$DEST.tmp" && mv "$DEST.tmp" "$DEST"
}

if [ -f "$DEST" ] && verify "$DEST"; then exit 0; fi

if [ -n "${QUIRE_FENNEL_LUA:-}" ]; then
  [ -f "$QUIRE_FENNEL_LUA" ] || die "QUIRE_FENNEL_LUA=$QUIRE_FENNEL_LUA does not exist"
  verify "$QUIRE_FENNEL_LUA" || die "QUIRE_FENNEL_LUA=$QUIRE_FENNEL_LUA has sha256 $(sha256sum "$QUIRE_FENNEL_LUA" | cut -d' ' -f1)"
  install_to_dest "$QUIRE_FENNEL_LUA"; exit 0
fi

if [ -f "$CACHE" ] && verify "$CACHE"; then install_to_dest "$CACHE"; exit 0; fi

command -v apt-get >/dev/null || die "apt-get is not available on this machine"

# The host of the machine's own Debian archive, from deb822 sources or a classic sources.list.
uri=$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
        cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1=="deb" {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}') \
      | grep -E '/debian/?$' | head -n1 || true)
[ -n "$uri" ] || die "no Debian archive found in /etc/apt/sources.list{,.d}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/deb"
echo "deb [trusted=yes] ${uri%/} trixie main" > "$work/sources.list"
apt_opts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives"
          -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root
          -o Debug::NoLocking=1 -o Acquire::Languages=none)
echo "fetch-fennel: fetching Debian trixie's fennel package index through apt" >&2
apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update of the temporary trixie source failed"
(cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download "fennel=$VERSION*" >&2) \
  || (cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download fennel >&2) \
  || die "apt-get download fennel failed"
deb=$(ls "$work"/deb/fennel_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || die "no fennel .deb was downloaded"
dpkg-deb -x "$deb" "$work/x"
lua=$(find "$work/x" -name fennel.lua -path '*5.4*' | head -n1)
[ -n "$lua" ] || lua=$(find "$work/x" -name fennel.lua | head -n1)
[ -n "$lua" ] || die "the package $(basename "$deb") holds no fennel.lua"
verify "$lua" || die "$(basename "$deb") holds a fennel.lua with sha256 $(sha256sum "$lua" | cut -d' ' -f1), not the pinned one"
mkdir -p "$CACHE_DIR" && cp "$lua" "$CACHE"
install_to_dest "$lua"
echo "fetch-fennel: fennel.lua $VERSION verified and placed at $DEST" >&2
