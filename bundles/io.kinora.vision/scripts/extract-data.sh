#!/bin/sh
# Re-creates the one third-party file this module carries, from a Debian package (apt-get download, no install):
# src/test/resources/astronaut.jpg, the photograph of astronaut Eileen Collins (NASA, public domain: "no known
# copyright restrictions", scikit-image's data/astronaut.png) from Debian's python3-skimage 0.19.3-8, re-encoded as
# JPEG (quality 0.9) to keep the repository small. (The face cascade is not carried: it comes from OpenCV's
# linux-x86_64 natives jar at build time, see pom.xml.)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download python3-skimage
dpkg-deb -x python3-skimage_*.deb root
java "$here/scripts/ToJpeg.java" root/usr/lib/python3/dist-packages/skimage/data/astronaut.png \
   "$here/src/test/resources/astronaut.jpg" 0.9
