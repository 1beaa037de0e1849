#!/usr/bin/env bash
# APFS metadata-walk benchmark: build a 100,000-file container with Vestige's fixtures writer, then
# time a full recursive listing (path, inode, kind, size, mode, owner, times) through Vestige
# against `fls -r -p -P apfs` (The Sleuth Kit) and `fsapfsinfo -H` (libfsapfs) on the same image,
# check the entry counts agree, and print the ratios. Times include JVM start.
# Usage: bench/apfs-walk.sh [files] (default 100000). Needs analyzer/target/vestige.jar
# (mvn -q -DskipTests package), fls (sleuthkit), fsapfsinfo (libfsapfs-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES="${1:-100000}"
JAR=analyzer/target/vestige.jar
[ -f "$JAR" ] || { echo "missing $JAR: run 'mvn -q -DskipTests package' first" >&2; exit 1; }
command -v fls >/dev/null || { echo "fls not found (Debian package sleuthkit)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
IMG="$TMP/walk.img"
# short-lived CLI run: C1 only and the serial collector cost the least CPU at start-up (override with JAVA_OPTS)
JAVA_OPTS="${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn256m}"

java -cp "$JAR" io.vestige.bench.ApfsWalkBench make "$FILES" "$IMG"
APSB=$(java -cp "$JAR" io.vestige.bench.ApfsWalkBench apsb "$IMG")
ls -l "$IMG" | awk -v f="$FILES" '{printf "image: %d bytes, %d files\n", $5, f}'
cat "$IMG" > /dev/null # warm the page cache for every contender alike

now() { date +%s.%N; }
t0=$(now)
VOUT=$(java $JAVA_OPTS -cp "$JAR" io.vestige.bench.ApfsWalkBench walk "$IMG")
t1=$(now)
FCOUNT=$(fls -r -p -P apfs -B "$APSB" "$IMG" | wc -l)
t2=$(now)
V=$(echo "$t1 - $t0" | bc -l)
F=$(echo "$t2 - $t1" | bc -l)
printf 'vestige     walk (incl. JVM start): %6.2f s  (%s; JAVA_OPTS=%s)\n' "$V" "$VOUT" "$JAVA_OPTS"
printf 'fls -r -p   walk:                   %6.2f s  (%d entries)\n' "$F" "$FCOUNT"
printf 'ratio fls/vestige: %.2fx\n' "$(echo "$F / $V" | bc -l)"
if command -v fsapfsinfo >/dev/null; then
  t3=$(now)
  HCOUNT=$(fsapfsinfo -H "$IMG" | grep -c '^/{')
  t4=$(now)
  H=$(echo "$t4 - $t3" | bc -l)
  printf 'fsapfsinfo -H:                      %6.2f s  (%d entries)\n' "$H" "$HCOUNT"
  printf 'ratio fsapfsinfo/vestige: %.2fx\n' "$(echo "$H / $V" | bc -l)"
fi
VCOUNT=$(echo "$VOUT" | awk '{print $1}')
# fls omits the root directory; Vestige counts it
if [ "$VCOUNT" -ne $((FCOUNT + 1)) ]; then echo "COUNT MISMATCH: vestige $VCOUNT vs fls $FCOUNT (+ root)" >&2; exit 1; fi
echo "same entry count: $VCOUNT (fls + root)"
