#!/usr/bin/env bash
# Tar collection benchmark: index + SHA-256 of every member of a generated tar.gz, Vestige (with a
# 256 MiB heap) against GNU tar (tar -tzvf for the index, tar -xOzf | sha256sum for the bytes).
# Usage: bench/tar.sh [MiB]   (default 1024; run `mvn -q -DskipTests package` first)
set -euo pipefail
MIB=${1:-1024}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/analyzer/target/vestige.jar"
[ -f "$JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
F="$WORK/collection.tar.gz"
echo "generating ${MIB} MiB collection..."
java -cp "$JAR" io.vestige.bench.TarBench generate "$F" "$MIB"
ls -l "$F" | awk '{printf "archive: %d bytes compressed\n", $5}'

now() { date +%s.%N; }
TIMEV=""
[ -x /usr/bin/time ] && TIMEV="/usr/bin/time -v"

t0=$(now)
if [ -n "$TIMEV" ]; then
  $TIMEV java -Xmx256m -cp "$JAR" io.vestige.bench.TarBench hash "$F" 2>"$WORK/time.txt"
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")
else
  java -Xmx256m -cp "$JAR" io.vestige.bench.TarBench hash "$F"
  rss="n/a (no /usr/bin/time)"
fi
t1=$(now)
tar -tzvf "$F" >/dev/null
t2=$(now)
tar -xOzf "$F" | sha256sum >/dev/null
t3=$(now)

v=$(echo "$t1 - $t0" | bc)
gl=$(echo "$t2 - $t1" | bc)
gx=$(echo "$t3 - $t2" | bc)
g=$(echo "$gl + $gx" | bc)
echo "vestige index+hash (wall, incl. JVM start): ${v}s  peak RSS: ${rss} KiB"
echo "GNU tar -tzvf: ${gl}s  tar -xOzf | sha256sum: ${gx}s  together: ${g}s"
echo "ratio vestige / (tar list + tar extract-hash): $(echo "scale=2; $v / $g" | bc)"
echo "ratio vestige / (tar extract-hash only):       $(echo "scale=2; $v / $gx" | bc)"
