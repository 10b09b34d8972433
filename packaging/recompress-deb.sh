#!/usr/bin/env bash
# Re-compress a .deb built by nfpm with dpkg-deb's xz -9 (`make deb` runs it):
#   packaging/recompress-deb.sh dist/opora_VERSION_amd64.deb
# nfpm's xz encoder (Go) compresses the bundle ~17 % worse than xz itself (49 MB against 41 MB).
# The package is unpacked as it is (control file, md5sums, files, modes and symlinks) and packed
# again by dpkg-deb, owned by root as nfpm made it.
set -euo pipefail
DEB="$1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dpkg-deb --raw-extract "$DEB" "$WORK/root"
dpkg-deb --root-owner-group -Zxz -z9 --build "$WORK/root" "$WORK/repacked.deb" >/dev/null
dpkg-deb --info "$WORK/repacked.deb" >/dev/null  # a valid package
mv "$WORK/repacked.deb" "$DEB"
