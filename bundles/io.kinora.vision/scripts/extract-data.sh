#!/bin/sh
# Re-creates the two third-party files this module carries, from Debian packages (apt-get download, no install):
#  - src/main/resources/io/kinora/vision/internal/lbpcascade_frontalface_improved.xml, the LBP frontal-face cascade
#    by Puttemans, Ergun and Goedeme (KU Leuven, 2017), BSD-3-Clause (the licence is in the file's header), as
#    shipped by OpenCV; taken from Debian's opencv-data 4.6.0+dfsg-12 (/usr/share/opencv4/lbpcascades/).
#  - src/test/resources/astronaut.jpg, the photograph of astronaut Eileen Collins (NASA, public domain: "no known
#    copyright restrictions", scikit-image's data/astronaut.png) from Debian's python3-skimage 0.19.3-8, re-encoded
#    as JPEG (quality 0.9) to keep the repository small.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download opencv-data python3-skimage
for d in *.deb; do dpkg-deb -x "$d" root; done
cp root/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml \
   "$here/src/main/resources/io/kinora/vision/internal/"
java "$here/scripts/ToJpeg.java" root/usr/lib/python3/dist-packages/skimage/data/astronaut.png \
   "$here/src/test/resources/astronaut.jpg" 0.9
( cd "$here" && sha256sum -c scripts/data.sha256 )
