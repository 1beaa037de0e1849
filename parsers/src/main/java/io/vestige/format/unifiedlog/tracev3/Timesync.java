package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Timesync databases ({@code timesync/*.timesync}): per boot, a boot record (48 bytes, signature
 * {@code b0 bb}: {@code 8} boot UUID, {@code 24} u32 timebase numerator, {@code 28} denominator,
 * {@code 32} s64 boot wall time in ns, {@code 40} tz minutes, {@code 44} DST) followed by sync
 * records (32 bytes, {@code Ts}: {@code 8} u64 continuous time, {@code 16} s64 wall time in ns).
 * Continuous ticks become wall time with exact integer maths (FORMATS §6.5).
 */
final class Timesync {
    static final class Boot {
        final UUID uuid;
        final long numer;
        final long denom;
        final long bootWallNs;
        final List<long[]> syncs = new ArrayList<>(); // {continuous, wallNs}

        Boot(UUID uuid, long numer, long denom, long bootWallNs) {
            this.uuid = uuid;
            this.numer = numer;
            this.denom = denom;
            this.bootWallNs = bootWallNs;
        }
    }

    private final Map<UUID, Boot> boots = new HashMap<>();

    Boot boot(UUID u) {
        return boots.get(u);
    }

    int size() {
        return boots.size();
    }

    /** Adds one timesync file; returns the number of bytes not understood (0 when all parsed). */
    long add(byte[] b, long base) throws TruncatedException {
        StructReader r = StructReader.le(b, base, "timesync");
        int o = 0;
        Boot cur = null;
        while (o + 4 <= b.length) {
            int sig = r.u16(o);
            int size = r.u16(o + 2);
            if (sig == 0xbbb0 && size == 48 && o + 48 <= b.length) {
                UUID u = r.uuidBE(o + 8);
                cur = boots.get(u);
                if (cur == null) {
                    long numer = r.u32(o + 24);
                    long denom = r.u32(o + 28);
                    cur = new Boot(u, numer == 0 ? 1 : numer, denom == 0 ? 1 : denom, r.u64(o + 32));
                    boots.put(u, cur);
                }
                o += 48;
            } else if (sig == 0x7354 && size == 32 && o + 32 <= b.length) {
                if (cur != null) {
                    cur.syncs.add(new long[] {r.u64(o + 8), r.u64(o + 16)});
                }
                o += 32;
            } else {
                return b.length - o;
            }
        }
        for (Boot bt : boots.values()) {
            bt.syncs.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
        }
        return b.length - o;
    }

    /**
     * Wall time in ns since 1970 of continuous time {@code ct} on boot {@code b}: the last sync
     * record at or before {@code ct} (the first one if all are later; the boot record when the
     * firehose base time is 0), plus the tick difference scaled by numer/denom.
     */
    static long wallNs(Boot b, long ct, boolean baseIsZero) {
        List<long[]> s = b.syncs;
        // binary search: the last sync record whose continuous time is <= ct
        int lo = 0;
        int hi = s.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(s.get(mid)[0], ct) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        long refCt;
        long refWall;
        if (found >= 0) {
            refCt = s.get(found)[0];
            refWall = s.get(found)[1];
        } else if (baseIsZero || s.isEmpty()) {
            refCt = 0;
            refWall = b.bootWallNs;
        } else {
            refCt = s.get(0)[0]; // before the first sync record: extrapolate backwards from it
            refWall = s.get(0)[1];
        }
        return scale(refWall, ct, refCt, b.numer, b.denom);
    }

    /** {@code wall + (ct - refCt) * numer / denom}, exact, floor division. */
    static long scale(long wall, long ct, long refCt, long numer, long denom) {
        long delta = ct - refCt;
        try {
            long prod = Math.multiplyExact(delta, numer);
            return Math.addExact(wall, Math.floorDiv(prod, denom));
        } catch (ArithmeticException e) {
            BigInteger d = new BigInteger(Long.toUnsignedString(ct)).subtract(new BigInteger(Long.toUnsignedString(refCt)));
            BigInteger w = BigInteger.valueOf(wall).add(d.multiply(BigInteger.valueOf(numer)).divide(BigInteger.valueOf(denom)));
            return w.bitLength() < 64 ? w.longValue() : Long.MAX_VALUE;
        }
    }
}
