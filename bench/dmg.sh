#!/usr/bin/env bash
# DMG benchmark: build a >= 256 MiB zlib UDIF image with Vestige's fixtures writer, then time a full
# media read + SHA-256 through Vestige (parallel chunk decoding) against dmg2img (conversion to a raw
# file, and conversion + sha256sum) on the same image, check both produce the same bytes, and print
# wall-clock and CPU times and the ratios.
# Usage: bench/dmg.sh [MiB] (default 256). Needs analyzer/target/vestige.jar (mvn -q -DskipTests package),
# dmg2img, GNU time (/usr/bin/time) and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-256}"
JAR=analyzer/target/vestige.jar
[ -f "$JAR" ] || { echo "missing $JAR: run 'mvn -q -DskipTests package' first" >&2; exit 1; }
command -v dmg2img >/dev/null || { echo "dmg2img not found (Debian package dmg2img)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) not found" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

java -cp "$JAR" io.vestige.bench.DmgBench make "$TMP/bench.dmg" "$MIB"
printf 'image: %d bytes compressed, %d MiB media, %s CPUs, load %s\n' "$(stat -c %s "$TMP/bench.dmg")" "$MIB" \
  "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
cat "$TMP/bench.dmg" > /dev/null # warm the page cache for both contenders alike

# each timed command writes "wall user sys" to a file
/usr/bin/time -f '%e %U %S' -o "$TMP/v.t" java -cp "$JAR" io.vestige.bench.DmgBench hash "$TMP/bench.dmg" > "$TMP/v.sum" 2>/dev/null
/usr/bin/time -f '%e %U %S' -o "$TMP/r.t" java -cp "$JAR" io.vestige.bench.DmgBench read "$TMP/bench.dmg" > /dev/null 2>&1
/usr/bin/time -f '%e %U %S' -o "$TMP/d.t" dmg2img -s -i "$TMP/bench.dmg" -o "$TMP/out.img" > /dev/null
/usr/bin/time -f '%e %U %S' -o "$TMP/h.t" sha256sum "$TMP/out.img" > "$TMP/d.sum"

read -r VW VU VS < "$TMP/v.t"
read -r RW RU RS < "$TMP/r.t"
read -r DW DU DS < "$TMP/d.t"
read -r HW HU HS < "$TMP/h.t"
VC=$(echo "$VU + $VS" | bc -l); RC=$(echo "$RU + $RS" | bc -l); DC=$(echo "$DU + $DS" | bc -l); HC=$(echo "$HU + $HS" | bc -l)
DHW=$(echo "$DW + $HW" | bc -l); DHC=$(echo "$DC + $HC" | bc -l)
printf '%-40s wall %6.2f s   cpu %6.2f s\n' "vestige read + SHA-256 (incl. JVM start)" "$VW" "$VC"
printf '%-40s wall %6.2f s   cpu %6.2f s\n' "vestige read only (no hash)" "$RW" "$RC"
printf '%-40s wall %6.2f s   cpu %6.2f s\n' "dmg2img convert to a raw file" "$DW" "$DC"
printf '%-40s wall %6.2f s   cpu %6.2f s\n' "dmg2img convert + sha256sum" "$DHW" "$DHC"
printf 'ratio (dmg2img / vestige, >1 = vestige faster): convert+hash vs read+hash wall %.2fx (cpu %.2fx); convert vs read wall %.2fx (cpu %.2fx)\n' \
  "$(echo "$DHW / $VW" | bc -l)" "$(echo "$DHC / $VC" | bc -l)" "$(echo "$DW / $RW" | bc -l)" "$(echo "$DC / $RC" | bc -l)"
VH=$(awk '{print $1}' "$TMP/v.sum"); DH=$(awk '{print $1}' "$TMP/d.sum")
if [ "$VH" = "$DH" ]; then echo "same media SHA-256: $VH"; else echo "MISMATCH: vestige $VH dmg2img $DH" >&2; exit 1; fi
