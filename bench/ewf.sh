#!/usr/bin/env bash
# EWF benchmark: Vestige vs libewf on the same image, in the same run.
#
#   mvn -q -DskipTests package && bench/ewf.sh [MiB=2048] [runs=3]
#
# On a shared machine set BENCH_BOOST=1 (root only): the timed commands then run in their own
# scheduler autogroup at nice -20, so that other users' load does not decide the comparison (both
# tools get the same treatment). Vestige pays ~0.4 s of JVM start-up and JIT warm-up per run, so the
# ratio grows with the image size; 512 MiB is the smallest size the comparison is meant for.
#
# Builds a MiB-sized raw file of mixed content (40% random, 30% zeros, 30% repetitive text per MiB),
# acquires it with `ewfacquire -c deflate:fast` (EnCase 6 layout, one segment), then times
#   verify: `vestige verify --hash md5,sha1` vs `ewfverify -d sha1` (same two digests),
#           plus `vestige verify` with its default MD5+SHA-1+SHA-256 for information;
#   read:   Vestige sequential decode to /dev/null vs `img_cat` (libewf via TSK) to /dev/null,
#           and to a file vs `ewfexport -f raw`.
# Each command runs `runs` times after a warm-up of the page cache; the best wall time is kept
# (the machine may be shared), and the CPU time (user+sys) of that run is shown too.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/analyzer/target/vestige.jar"
MIB=${1:-2048}
RUNS=${2:-3}
[ -f "$JAR" ] || { echo "missing $JAR: run 'mvn -q -DskipTests package' first" >&2; exit 64; }
for t in ewfacquire ewfverify ewfexport img_cat java; do
  command -v "$t" >/dev/null || { echo "missing $t (Debian: ewf-tools, sleuthkit, a JDK 17+)" >&2; exit 69; }
done
if [ "${BENCH_BOOST:-0}" = 1 ] && [ -z "${BENCH_BOOSTED:-}" ] && [ -w /proc/self/autogroup ]; then
  # re-run in a new session (a new autogroup) and raise that group's weight
  exec env BENCH_BOOSTED=1 setsid bash -c 'echo -20 > /proc/self/autogroup && exec "$0" "$@"' "$0" "$@"
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vestige-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# 'vestige verify' when Main lists it, else the same command through the bench entry point
if java -jar "$JAR" --help 2>/dev/null | grep -qE "^ +verify"; then
  VERIFY=(java -jar "$JAR" verify)
else
  VERIFY=(java -cp "$JAR" io.vestige.bench.EwfBench verify)
fi
READ=(java -cp "$JAR" io.vestige.bench.EwfBench read)

echo "cores: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)  java: $(java -version 2>&1 | head -1)  boost: ${BENCH_BOOSTED:-no}"
echo "making ${MIB} MiB of mixed media and acquiring it with ewfacquire -c deflate:fast …"
java -cp "$JAR" io.vestige.bench.EwfBench gen "$TMP/src.raw" "$MIB"
SRC_MD5=$(md5sum "$TMP/src.raw" | cut -d' ' -f1)
ewfacquire -u -q -t "$TMP/img" -f encase6 -c deflate:fast -S 8G -d sha1 \
  -C bench -E 1 -e bench -D "vestige bench" -N "mixed media" "$TMP/src.raw" >/dev/null
rm -f "$TMP/src.raw"
IMG="$TMP/img.E01"
echo "image: $(du -h "$IMG" | cut -f1) for ${MIB} MiB of media (source MD5 $SRC_MD5)"
cat "$IMG" >/dev/null   # warm the page cache: measure decoding, not the disk

# best-of-RUNS; prints "wall cpu" of the fastest run
measure() {
  local best="" bestcpu="" t wall cpu i
  for ((i = 0; i < RUNS; i++)); do
    t=$( { TIMEFORMAT='%R %U %S'; time bash -c "$1" >/dev/null 2>&1; } 2>&1 )
    wall=$(echo "$t" | awk '{print $1}')
    cpu=$(echo "$t" | awk '{printf "%.2f", $2 + $3}')
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$wall; bestcpu=$cpu; fi
  done
  echo "$best $bestcpu"
}
q() { printf '%q ' "$@"; }

# correctness first: both must report the source's MD5
V_MD5=$("${VERIFY[@]}" "$IMG" --json --hash md5,sha1 | grep '"md5"' | head -1 | tr -d ' ",' | cut -d: -f2)
L_MD5=$(ewfverify -q -d sha1 "$IMG" | awk -F'\t+' '/MD5 hash calculated/ {print $2}')
echo "computed MD5: vestige $V_MD5, ewfverify $L_MD5"
[ "$V_MD5" = "$SRC_MD5" ] && [ "$L_MD5" = "$SRC_MD5" ] || { echo "MD5 mismatch!" >&2; exit 1; }

row() { # label vestige-cmd libewf-cmd
  local v l
  v=($(measure "$2")); l=($(measure "$3"))
  printf '%-34s vestige %7.2f s (cpu %6.2f)   libewf %7.2f s (cpu %6.2f)   ratio libewf/vestige %5.2fx\n' \
    "$1" "${v[0]}" "${v[1]}" "${l[0]}" "${l[1]}" "$(awk -v a="${l[0]}" -v b="${v[0]}" 'BEGIN{printf "%.2f", a/b}')"
}
echo
row "verify MD5+SHA-1"            "$(q "${VERIFY[@]}" "$IMG" --hash md5,sha1)" "$(q ewfverify -q -d sha1 "$IMG")"
row "verify (vestige: +SHA-256)"   "$(q "${VERIFY[@]}" "$IMG")"                 "$(q ewfverify -q -d sha1 "$IMG")"
row "sequential read to /dev/null" "$(q "${READ[@]}" "$IMG")"                   "$(q img_cat "$IMG")"
row "export to a raw file"         "$(q "${READ[@]}" "$IMG" "$TMP/v.raw")"      "$(q ewfexport -u -q -f raw -t "$TMP/l" "$IMG")"
