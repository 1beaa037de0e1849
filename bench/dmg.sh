#!/usr/bin/env bash
# DMG benchmark: build a >= 256 MiB zlib UDIF image with Vestige's fixtures writer, then time a full
# media read + SHA-256 through Vestige (parallel chunk decoding) against dmg2img (conversion to a raw
# file) on the same image, check both produce the same bytes, and print the ratio.
# Usage: bench/dmg.sh [MiB] (default 256). Needs: analyzer/target/vestige.jar (mvn -q -DskipTests package), dmg2img.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-256}"
JAR=analyzer/target/vestige.jar
[ -f "$JAR" ] || { echo "missing $JAR: run 'mvn -q -DskipTests package' first" >&2; exit 1; }
command -v dmg2img >/dev/null || { echo "dmg2img not found (Debian package dmg2img)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

java -cp "$JAR" io.vestige.bench.DmgBench make "$TMP/bench.dmg" "$MIB"
ls -l "$TMP/bench.dmg" | awk '{printf "image: %d bytes compressed\n", $5}'

now() { date +%s.%N; }

# warm the page cache for both contenders alike
cat "$TMP/bench.dmg" > /dev/null

t0=$(now)
VHASH=$(java -cp "$JAR" io.vestige.bench.DmgBench hash "$TMP/bench.dmg" | awk '{print $1}')
t1=$(now)
dmg2img -s -i "$TMP/bench.dmg" -o "$TMP/out.img" >/dev/null
t2=$(now)
DHASH=$(sha256sum "$TMP/out.img" | awk '{print $1}')
t3=$(now)

V=$(echo "$t1 - $t0" | bc -l)
D=$(echo "$t2 - $t1" | bc -l)
DH=$(echo "$t3 - $t1" | bc -l)
printf 'vestige  read+sha256 (incl. JVM start): %6.2f s\n' "$V"
printf 'dmg2img  convert to raw file:           %6.2f s\n' "$D"
printf 'dmg2img  convert + sha256sum:           %6.2f s\n' "$DH"
printf 'ratio dmg2img(convert)/vestige: %.2fx   dmg2img(convert+hash)/vestige: %.2fx\n' \
  "$(echo "$D / $V" | bc -l)" "$(echo "$DH / $V" | bc -l)"
if [ "$VHASH" = "$DHASH" ]; then echo "same media SHA-256: $VHASH"; else echo "MISMATCH: vestige $VHASH dmg2img $DHASH" >&2; exit 1; fi
