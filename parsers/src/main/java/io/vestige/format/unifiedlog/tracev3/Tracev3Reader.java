package io.vestige.format.unifiedlog.tracev3;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.LogEventSink;
import io.vestige.format.unifiedlog.tracev3.FormatRenderer.Arg;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes one tracev3 file chunk by chunk (FORMATS §6.2–6.5): header, catalogs, chunksets
 * (LZ4), and inside them firehose (log, activity, trace, signpost, loss), oversize, statedump and
 * simpledump chunks. Only one chunkset is held in memory at a time. Damaged chunks become
 * diagnostics and reading resumes at the next chunk.
 */
final class Tracev3Reader {
    /** Shared state of a store read: strings, times, oversize data, counters. */
    static final class Context {
        final StringResolver strings;
        final Timesync timesync;
        final ParseLimits limits;
        final Diagnostics diags;
        final DecodeStats.Counter counter;
        final LogEventSink sink;
        final Map<OversizeKey, List<Arg>> oversize = new HashMap<>();
        final List<Pending> pending = new ArrayList<>();
        long oversizeBytes;

        Context(StringResolver strings, Timesync timesync, ParseLimits limits, Diagnostics diags,
                DecodeStats.Counter counter, LogEventSink sink) {
            this.strings = strings;
            this.timesync = timesync;
            this.limits = limits;
            this.diags = diags;
            this.counter = counter;
            this.sink = sink;
        }
    }

    record OversizeKey(long p1, long p2, long ref) {
    }

    /** An event waiting for oversize data held in a later chunk or file (second pass). */
    record Pending(LogEvent.Builder builder, Resolved resolved, OversizeKey key, boolean itemsUnsupported) {
    }

    static final int MAX_PENDING = 200_000;
    static final long MAX_OVERSIZE_BYTES = 256L << 20;

    private final ByteSource src;
    private final EvidencePath where;
    private final Context ctx;
    private Tracev3Header header;
    private Catalog catalog;
    private Timesync.Boot boot;
    private long headerWallNs;

    Tracev3Reader(ByteSource src, EvidencePath where, Context ctx) {
        this.src = src;
        this.where = where;
        this.ctx = ctx;
    }

    Tracev3Header header() {
        return header;
    }

    private void warn(String structure, long off, String msg) {
        ctx.counter.decodeErrors++;
        ctx.diags.add(Diagnostic.warning(where.toString(), structure, off, msg));
    }

    void read() throws IOException {
        long size = src.size();
        long off = 0;
        byte[] pre = new byte[16];
        boolean first = true;
        while (off + 16 <= size) {
            src.readFully(off, pre, 0, 16);
            int tag = Chunkset.le32(pre, 0);
            long dataSize = Chunkset.le32(pre, 8) & 0xffffffffL | (long) Chunkset.le32(pre, 12) << 32;
            if (first && tag != Tracev3Header.TAG) {
                warn("tracev3 header chunk", 0, "file does not start with a header chunk (tag 0x"
                        + Integer.toHexString(tag) + "); times fall back to timesync only");
            }
            first = false;
            if (tag != Tracev3Header.TAG && tag != Catalog.TAG && tag != Chunkset.TAG) {
                long next = resync(off + 8);
                warn("tracev3 chunk", off, "unknown chunk tag 0x" + Integer.toHexString(tag)
                        + (next < 0 ? "; no further chunk found" : "; resuming at 0x" + Long.toHexString(next)));
                if (next < 0) {
                    return;
                }
                off = next;
                continue;
            }
            if (dataSize < 0 || dataSize > size - off - 16) {
                long next = resync(off + 8);
                warn("tracev3 chunk", off, "chunk size " + Long.toUnsignedString(dataSize) + " runs past the end of the file ("
                        + (size - off - 16) + " bytes left)"
                        + (next < 0 ? "" : "; resuming at 0x" + Long.toHexString(next)));
                if (next < 0) {
                    return;
                }
                off = next;
                continue;
            }
            if (dataSize + 16 > ctx.limits.maxChunkSize()) {
                ctx.limits.check("maxChunkSize", dataSize + 16, "tracev3 chunk", off);
            }
            byte[] chunk = src.readBytes(off, (int) (dataSize + 16));
            ctx.counter.bytesRead += chunk.length;
            try {
                switch (tag) {
                    case Tracev3Header.TAG -> onHeader(chunk, off);
                    case Catalog.TAG -> catalog = Catalog.parse(chunk, off, ctx.limits);
                    default -> onChunkset(chunk, off);
                }
            } catch (ParseException e) {
                ctx.counter.decodeErrors++;
                ctx.diags.add(Diagnostic.of(where.toString(), e, Diagnostic.Severity.WARNING));
                if (tag == Catalog.TAG) {
                    catalog = null;
                }
            } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException | NegativeArraySizeException e) {
                warn("tracev3 chunk 0x" + Integer.toHexString(tag), off, "damaged chunk: " + e);
                if (tag == Catalog.TAG) {
                    catalog = null;
                }
            }
            off += align8(16 + dataSize);
        }
        if (off < size && size - off >= 8) {
            warn("tracev3 chunk", off, (size - off) + " trailing bytes too short for a chunk header");
        }
    }

    /** Finds the next 8-aligned offset that looks like a catalog or chunkset chunk header. */
    private long resync(long from) throws IOException {
        long size = src.size();
        long o = align8(from);
        byte[] buf = new byte[1 << 16];
        while (o + 16 <= size) {
            int n = (int) Math.min(buf.length, size - o);
            src.readFully(o, buf, 0, n);
            for (int i = 0; i + 16 <= n; i += 8) {
                int tag = Chunkset.le32(buf, i);
                if (tag == Catalog.TAG || tag == Chunkset.TAG) {
                    long ds = Chunkset.le32(buf, i + 8) & 0xffffffffL | (long) Chunkset.le32(buf, i + 12) << 32;
                    long at = o + i;
                    if (ds > 0 && ds <= size - at - 16 && Chunkset.le32(buf, i + 4) == 0x11) {
                        return at;
                    }
                }
            }
            if (n < 16) {
                break;
            }
            o += n - 8;
            o = align8(o);
        }
        return -1;
    }

    static long align8(long v) {
        return (v + 7) & ~7L;
    }

    private String zoneName;

    private void onHeader(byte[] c, long off) throws ParseException {
        header = Tracev3Header.parse(c, off);
        String tz = header.timezonePath();
        zoneName = tz == null ? null : tz.contains("zoneinfo/") ? tz.substring(tz.indexOf("zoneinfo/") + 9) : null;
        headerWallNs = header.wallSeconds() * 1_000_000_000L + header.wallMicros() * 1000L;
        boot = header.bootUuid() == null ? null : ctx.timesync.boot(header.bootUuid());
        if (header.bootUuid() != null && boot == null) {
            ctx.diags.add(Diagnostic.info(where.toString(), "tracev3 header", off,
                    "no timesync record for boot " + header.bootUuid() + "; wall times derived from the file header"));
        }
    }

    private Instant wall(long ct, long base) {
        long ns;
        if (boot != null) {
            ns = Timesync.wallNs(boot, ct, base == 0);
        } else if (header != null) {
            ns = Timesync.scale(headerWallNs, ct, header.continuousTime(), header.timebaseNumerator() == 0 ? 1
                    : header.timebaseNumerator(), header.timebaseDenominator() == 0 ? 1 : header.timebaseDenominator());
        } else {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    private void onChunkset(byte[] c, long off) throws IOException {
        byte[] d;
        try {
            d = Chunkset.decompress(c, 16, c.length, off, ctx.limits);
        } catch (ParseException e) {
            ctx.counter.decodeErrors++;
            ctx.diags.add(Diagnostic.of(where.toString(), e, Diagnostic.Severity.WARNING));
            return;
        }
        EvidencePath at = where.then("chunkset", "@ 0x" + Long.toHexString(off));
        int o = 0;
        while (o + 16 <= d.length) {
            int tag = Chunkset.le32(d, o);
            long ds = Chunkset.le32(d, o + 8) & 0xffffffffL | (long) Chunkset.le32(d, o + 12) << 32;
            if (tag == 0 && ds == 0) {
                o += 8; // padding
                continue;
            }
            if (ds > d.length - o - 16) {
                warn("tracev3 chunkset entry", off, "entry at decompressed offset " + o + " claims " + ds
                        + " bytes, " + (d.length - o - 16) + " left; rest of the chunkset skipped");
                return;
            }
            int end = o + 16 + (int) ds;
            try {
                switch (tag) {
                    case 0x6001 -> firehose(d, o, end, at);
                    case 0x6002 -> oversize(d, o, end);
                    case 0x6003 -> statedump(d, o, end, at);
                    case 0x6004 -> simpledump(d, o, end, at);
                    default -> {
                        ctx.counter.entriesRead++;
                        ctx.counter.unsupported("chunk 0x" + Integer.toHexString(tag));
                    }
                }
            } catch (TruncatedException | IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException
                     | NegativeArraySizeException e) {
                // hostile values the field checks did not anticipate: report and go on with the next entry
                warn("tracev3 chunk 0x" + Integer.toHexString(tag), off, "damaged entry at decompressed offset " + o
                        + ": " + e);
            }
            o = (int) align8(end);
        }
    }

    // ---------------------------------------------------------------- firehose

    /** Formatter fields that say where the format string is (flags 0x000E plus large offsets). */
    record Formatters(int kind, int largeOffset, int largeSharedCache, int altIndex, UUID uuidRelative, boolean known) {
    }

    private static int u8(byte[] d, int o, int end) throws TruncatedException {
        need(o, 1, end);
        return d[o] & 0xff;
    }

    private static int u16(byte[] d, int o, int end) throws TruncatedException {
        need(o, 2, end);
        return (d[o] & 0xff) | (d[o + 1] & 0xff) << 8;
    }

    private static long u32(byte[] d, int o, int end) throws TruncatedException {
        need(o, 4, end);
        return Chunkset.le32(d, o) & 0xffffffffL;
    }

    private static long u64(byte[] d, int o, int end) throws TruncatedException {
        need(o, 8, end);
        return (Chunkset.le32(d, o) & 0xffffffffL) | (long) Chunkset.le32(d, o + 4) << 32;
    }

    private static UUID uuid(byte[] d, int o, int end) throws TruncatedException {
        need(o, 16, end);
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 8; k++) {
            hi = hi << 8 | (d[o + k] & 0xff);
            lo = lo << 8 | (d[o + 8 + k] & 0xff);
        }
        return new UUID(hi, lo);
    }

    private static void need(int o, int n, int end) throws TruncatedException {
        if (o < 0 || o > end - n) {
            throw new TruncatedException("firehose record", -1, "field at " + o + " (+" + n + ") past record end " + end);
        }
    }

    private final int[] cursor = new int[1];

    private Formatters formatters(byte[] d, int flags, int end) throws TruncatedException {
        int p = cursor[0];
        int kind = flags & 0xE;
        int lo = 0;
        int lsc = 0;
        int alt = 0;
        UUID rel = null;
        boolean known = true;
        switch (kind) {
            case 0x2 -> {
            }
            case 0x4 -> {
                if ((flags & 0x20) != 0) {
                    lo = u16(d, p, end);
                    p += 2;
                }
            }
            case 0xC -> {
                if ((flags & 0x20) != 0) {
                    lo = u16(d, p, end);
                    p += 2;
                }
                lsc = u16(d, p, end);
                p += 2;
            }
            case 0x8 -> {
                alt = u16(d, p, end);
                p += 2;
            }
            case 0xA -> {
                rel = uuid(d, p, end);
                p += 16;
            }
            default -> known = false;
        }
        cursor[0] = p;
        return new Formatters(kind, lo, lsc, alt, rel, known);
    }

    private void firehose(byte[] d, int o, int end, EvidencePath at) throws IOException {
        long p1 = u64(d, o + 16, end);
        long p2 = u32(d, o + 24, end);
        int publicSize = u16(d, o + 32, end);
        int virt = u16(d, o + 34, end);
        long base = u64(d, o + 40, end);
        int tpEnd = Math.min(end, o + 48 + Math.max(0, publicSize - 16));
        int privRegion = virt < 0x1000 ? end - (0x1000 - virt) : -1;
        Catalog.ProcessEntry pe = catalog == null ? null : catalog.process(p1, p2);
        int p = o + 48;
        while (p + 24 <= tpEnd) {
            int rec = d[p] & 0xff;
            if (rec == 0) {
                break; // remnant space at the end of the public area
            }
            int logType = d[p + 1] & 0xff;
            int flags = u16(d, p + 2, tpEnd);
            long fmt = u32(d, p + 4, tpEnd);
            long tid = u64(d, p + 8, tpEnd);
            long delta = u32(d, p + 16, tpEnd) | (long) u16(d, p + 20, tpEnd) << 32;
            int dsize = u16(d, p + 22, tpEnd);
            int ds = p + 24;
            int de = ds + dsize;
            ctx.counter.entriesRead++;
            if (de > tpEnd) {
                warn("firehose tracepoint", -1, "record of " + dsize + " bytes runs past the public data ("
                        + (tpEnd - ds) + " left); rest of the chunk skipped");
                return;
            }
            long ct = base + delta;
            LogEvent.Builder b = LogEvent.builder();
            b.machTimestamp(ct).timestamp(wall(ct, base)).threadID(tid).timezoneName(zoneName)
                    .traceID(fmt << 32 | (long) flags << 16 | (long) logType << 8 | rec)
                    .bootUUID(header == null ? null : header.bootUuid())
                    .source(at.then("firehose", "@ 0x" + Integer.toHexString(p)));
            process(b, pe);
            try {
                switch (rec) {
                    case 4 -> logRecord(d, ds, de, flags, logType, fmt, b, pe, p1, p2, privRegion, virt);
                    case 2 -> activityRecord(d, ds, de, flags, logType, fmt, b, pe, privRegion, virt);
                    case 6 -> signpostRecord(d, ds, de, flags, logType, fmt, b, pe, p1, p2, privRegion, virt);
                    case 3 -> traceRecord(d, ds, de, fmt, b, pe);
                    case 7 -> lossRecord(d, ds, de, b);
                    default -> {
                        ctx.counter.unsupported("firehose record type " + rec);
                        b.eventType("unknownEvent").eventMessage("<unsupported firehose record type " + rec + ">");
                        emit(b, false);
                    }
                }
            } catch (TruncatedException e) {
                warn("firehose tracepoint", -1, "record type " + rec + " damaged: " + e.getMessage());
            }
            p = (int) align8(de);
        }
    }

    private void process(LogEvent.Builder b, Catalog.ProcessEntry pe) {
        if (pe == null) {
            return;
        }
        b.processID(pe.pid()).userID(pe.euid());
        UUID main = catalog.uuid(pe.mainUuidIndex());
        b.processImageUUID(main);
        Uuidtext t = ctx.strings.uuidtext(main);
        if (t != null) {
            b.processImagePath(t.imagePath());
        }
    }

    private static String messageType(int logType) {
        return switch (logType) {
            case 0x00 -> "Default";
            case 0x01 -> "Info";
            case 0x02 -> "Debug";
            case 0x10 -> "Error";
            case 0x11 -> "Fault";
            default -> null;
        };
    }

    /** The format string and sender image for a record. */
    record Resolved(String format, String imagePath, UUID imageUuid, long pcOffset, boolean found) {
    }

    private Resolved resolve(Catalog.ProcessEntry pe, Formatters f, long fmtRef, long pc, boolean activity) {
        int ext = f.largeSharedCache() != 0 ? f.largeSharedCache() : f.largeOffset();
        boolean dynamic = (fmtRef & 0x80000000L) != 0 && ext == 0;
        long ref = ext != 0 ? (long) ext << 31 | (fmtRef & 0x7fffffffL) : fmtRef & 0x7fffffffL;
        if (pe == null || catalog == null) {
            return new Resolved(dynamic ? "%s" : null, null, null, pc, dynamic);
        }
        boolean shared = f.kind() == 0x4 || (f.kind() == 0xC && (!activity || f.largeOffset() != 0 || f.largeSharedCache() != 0));
        if (shared) {
            UUID dscUuid = pe.dscUuidIndex() == 0xFFFF ? null : catalog.uuid(pe.dscUuidIndex());
            SharedCacheStrings dsc = ctx.strings.dsc(dscUuid);
            if (dsc == null) {
                return new Resolved(dynamic ? "%s" : null, null, dscUuid, pc, dynamic);
            }
            SharedCacheStrings.Image img = dsc.imageForPc(pc);
            long pcOff = img == null ? pc : pc - img.textOffset();
            if (dynamic) {
                return new Resolved("%s", img == null ? null : img.path(), img == null ? null : img.uuid(), pcOff, true);
            }
            SharedCacheStrings.Hit h = dsc.lookup(ref);
            if (h == null) {
                return new Resolved(null, img == null ? null : img.path(), img == null ? null : img.uuid(), pcOff, false);
            }
            return new Resolved(h.string(), h.image() == null ? null : h.image().path(),
                    h.image() == null ? null : h.image().uuid(), pcOff, true);
        }
        UUID image;
        long pcOff = pc;
        if (f.kind() == 0x8) {
            long abs = (long) f.altIndex() << 32 | pc;
            image = null;
            for (Catalog.UuidInfo u : pe.images()) {
                if (abs >= u.loadAddress() && abs - u.loadAddress() <= u.size()) {
                    image = catalog.uuid(u.uuidIndex());
                    pcOff = abs - u.loadAddress();
                    break;
                }
            }
        } else if (f.kind() == 0xA) {
            image = f.uuidRelative();
        } else {
            image = catalog.uuid(pe.mainUuidIndex());
        }
        Uuidtext t = ctx.strings.uuidtext(image);
        if (t == null) {
            return new Resolved(dynamic ? "%s" : null, null, image, pcOff, dynamic);
        }
        String s = dynamic ? "%s" : t.stringAt(ref);
        return new Resolved(s, t.imagePath(), image, pcOff, s != null);
    }

    private void subsystem(LogEvent.Builder b, Catalog.ProcessEntry pe, int id) {
        if (pe == null) {
            return;
        }
        int[] sc = pe.subsystems().get(id);
        if (sc != null) {
            b.subsystem(catalog.string(sc[0])).category(catalog.string(sc[1]));
        }
    }

    /** The fields log and signpost records share, in order, and where the record goes on. */
    private record Head(int p, long aid, int privOff, long pc, Formatters f) {
    }

    /** Reads the shared start of a log or signpost record: activity id, private-data range, pc, formatters, subsystem. */
    private Head head(byte[] d, int p, int e, int flags, LogEvent.Builder b, Catalog.ProcessEntry pe) throws IOException {
        long aid = 0;
        if ((flags & 0x1) != 0) {
            aid = u32(d, p, e);
            p += 8;
        }
        int privOff = -1;
        if ((flags & 0x100) != 0) {
            privOff = u16(d, p, e);
            p += 4;
        }
        long pc = u32(d, p, e);
        p += 4;
        cursor[0] = p;
        Formatters f = formatters(d, flags, e);
        p = cursor[0];
        if ((flags & 0x200) != 0) {
            subsystem(b, pe, u16(d, p, e));
            p += 2;
        }
        return new Head(p, aid, privOff, pc, f);
    }

    private void logRecord(byte[] d, int p, int e, int flags, int logType, long fmt, LogEvent.Builder b,
                           Catalog.ProcessEntry pe, long p1, long p2, int privRegion, int virt) throws IOException {
        Head h = head(d, p, e, flags, b, pe);
        p = h.p();
        long aid = h.aid();
        int privOff = h.privOff();
        long pc = h.pc();
        Formatters f = h.f();
        if ((flags & 0x400) != 0) {
            p += 1;
        }
        long dataRef = 0;
        if ((flags & 0x800) != 0) {
            dataRef = u32(d, p, e);
            p += 4;
        }
        b.eventType("logEvent").messageType(messageType(logType)).activityIdentifier(aid);
        if (messageType(logType) == null) {
            ctx.counter.unsupported("log type 0x" + Integer.toHexString(logType));
        }
        finish(d, p, e, flags, fmt, pc, f, b, pe, p1, p2, privRegion, virt, privOff, dataRef, false);
    }

    private void activityRecord(byte[] d, int p, int e, int flags, int logType, long fmt, LogEvent.Builder b,
                                Catalog.ProcessEntry pe, int privRegion, int virt) throws IOException {
        List<Long> aids = new ArrayList<>();
        if (logType != 0x3) {
            aids.add(u32(d, p, e));
            p += 8;
        }
        if ((flags & 0x10) != 0) {
            b.extra("uniquePID", u64(d, p, e));
            p += 8;
        }
        if ((flags & 0x1) != 0) {
            aids.add(u32(d, p, e));
            p += 8;
        }
        if ((flags & 0x200) != 0) {
            aids.add(u32(d, p, e));
            p += 8;
        }
        long pc = u32(d, p, e);
        p += 4;
        cursor[0] = p;
        Formatters f = formatters(d, flags, e);
        p = cursor[0];
        b.eventType(logType == 0x3 ? "userActionEvent" : "activityCreateEvent");
        if (!aids.isEmpty()) {
            b.activityIdentifier(aids.get(aids.size() - 1));
            if (aids.size() > 1) {
                b.parentActivityIdentifier(aids.get(0));
            }
        }
        finish(d, p, e, flags, fmt, pc, f, b, pe, 0, 0, privRegion, virt, -1, 0, true);
    }

    private void signpostRecord(byte[] d, int p, int e, int flags, int logType, long fmt, LogEvent.Builder b,
                                Catalog.ProcessEntry pe, long p1, long p2, int privRegion, int virt) throws IOException {
        Head h = head(d, p, e, flags, b, pe);
        p = h.p();
        long aid = h.aid();
        int privOff = h.privOff();
        long pc = h.pc();
        Formatters f = h.f();
        long spid = u64(d, p, e);
        p += 8;
        if ((flags & 0x400) != 0) {
            p += 1;
        }
        long dataRef = 0;
        if ((flags & 0x800) != 0) {
            dataRef = u32(d, p, e);
            p += 4;
        }
        if ((flags & 0x8000) != 0) {
            long nameRef = u32(d, p, e);
            p += 4;
            if ((f.kind() == 0x4 && f.largeOffset() != 0) || f.largeSharedCache() != 0) {
                p += 2;
            }
            Resolved rn = resolve(pe, f, nameRef, pc, false);
            if (rn.format() != null) {
                b.signpostName(rn.format());
            } else {
                ctx.counter.unsupported("signpost name unresolved");
            }
        }
        int scope = logType & 0xC0;
        int kind = logType & 0x3F;
        b.eventType("signpostEvent").activityIdentifier(aid).signpostID(spid)
                .signpostScope(scope == 0x40 ? "thread" : scope == 0x80 ? "process" : scope == 0xC0 ? "system" : null)
                .signpostType(kind == 0 ? "event" : kind == 1 ? "begin" : kind == 2 ? "end" : null);
        finish(d, p, e, flags, fmt, pc, f, b, pe, p1, p2, privRegion, virt, privOff, dataRef, false);
    }

    private void traceRecord(byte[] d, int p, int e, long fmt, LogEvent.Builder b, Catalog.ProcessEntry pe)
            throws IOException {
        long pc = u32(d, p, e);
        p += 4;
        List<Arg> args = new ArrayList<>();
        int len = e - p;
        if (len >= 1) {
            int count = d[e - 1] & 0xff;
            int sizesStart = e - 1 - count;
            if (sizesStart >= p) {
                int total = 0;
                int[] sizes = new int[count];
                for (int i = 0; i < count; i++) {
                    sizes[count - 1 - i] = d[e - 2 - i] & 0xff; // sizes are stored last-to-first
                    total += sizes[count - 1 - i];
                }
                int v = sizesStart - total;
                if (v >= p) {
                    for (int i = 0; i < count; i++) {
                        byte[] val = new byte[sizes[i]];
                        System.arraycopy(d, v, val, 0, sizes[i]);
                        args.add(Arg.number(val));
                        v += sizes[i];
                    }
                }
            }
        }
        b.eventType("traceEvent");
        Formatters main = new Formatters(0x2, 0, 0, 0, null, true);
        Resolved r = resolve(pe, main, fmt, pc, false);
        render(b, r, args, true, pc);
    }

    private void lossRecord(byte[] d, int p, int e, LogEvent.Builder b) throws IOException {
        long start = u64(d, p, e);
        long endT = u64(d, p + 8, e);
        long count = u64(d, p + 16, e);
        b.eventType("lossEvent").eventMessage("lost " + Long.toUnsignedString(count) + " unreliable message(s)")
                .extra("lossCount", count).extra("lossStartMachContinuousTimestamp", start)
                .extra("lossEndMachContinuousTimestamp", endT);
        emit(b, true);
    }

    /** Items, backtrace, format resolution, rendering, oversize lookup, emission. */
    private void finish(byte[] d, int p, int e, int flags, long fmt, long pc, Formatters f, LogEvent.Builder b,
                        Catalog.ProcessEntry pe, long p1, long p2, int privRegion, int virt, int privOff, long dataRef,
                        boolean activity) throws IOException {
        if (!f.known()) {
            ctx.counter.unsupported("string location 0x" + Integer.toHexString(flags & 0xE));
        }
        Resolved r = f.known() ? resolve(pe, f, fmt, pc, activity) : new Resolved(null, null, null, pc, false);
        int privStart = privRegion >= 0 && privOff >= virt ? privRegion + (privOff - virt) : -1;
        List<Arg> args = items(d, p, e, flags, b, privStart, privRegion >= 0 ? Math.max(privRegion, p) : -1);
        if (dataRef != 0) {
            OversizeKey k = new OversizeKey(p1, p2, dataRef);
            List<Arg> over = ctx.oversize.get(k);
            if (over == null) {
                if (ctx.pending.size() < MAX_PENDING) {
                    senderFields(b, r, pc);
                    ctx.pending.add(new Pending(b, r, k, itemsUnsupported));
                    return;
                }
                ctx.counter.unsupported("oversize data not found");
            } else {
                args = over;
            }
        }
        render(b, r, args, true, pc);
    }

    private void senderFields(LogEvent.Builder b, Resolved r, long pc) {
        b.senderImagePath(r.imagePath()).senderImageUUID(r.imageUuid()).senderProgramCounter(r.pcOffset())
                .formatString(r.format());
    }

    private void render(LogEvent.Builder b, Resolved r, List<Arg> args, boolean itemsOk, long pc) throws IOException {
        senderFields(b, r, pc);
        boolean full = compose(ctx, b, r, args) && itemsOk && !itemsUnsupported;
        emit(b, full);
    }

    /**
     * Sets the event message: the rendered format, or, when the format string is not available,
     * Apple's {@code <compose failure [UUID …]>} with the decoded arguments kept in
     * {@code formatArguments} (they may still name files or hosts). Returns whether it rendered in full.
     */
    static boolean compose(Context ctx, LogEvent.Builder b, Resolved r, List<Arg> args) {
        if (r.format() == null) {
            ctx.counter.missingFormatStrings++;
            b.eventMessage("<compose failure [UUID " + (r.imageUuid() == null ? "unknown" : StringResolver.hex(r.imageUuid())) + "]>");
            if (!args.isEmpty()) {
                b.extra("formatArguments", argTexts(args));
            }
            return false;
        }
        boolean[] uns = new boolean[1];
        FormatRenderer.Result res = FormatRenderer.render(r.format(), args, x -> {
            uns[0] = true;
            ctx.counter.unsupported(x);
        });
        b.eventMessage(res.text());
        return res.complete() && !uns[0];
    }

    /** The arguments as text, for events whose format string is missing. */
    static List<String> argTexts(List<Arg> args) {
        List<String> out = new ArrayList<>(args.size());
        for (Arg a : args) {
            switch (a.kind()) {
                case NUMBER, PRECISION -> out.add(Long.toString(FormatRenderer.signed(a.bytes())));
                case STRING -> out.add(a.text());
                case PRIVATE -> out.add(FormatRenderer.PRIVATE);
                case NULL_OBJECT -> out.add("(null)");
                default -> {
                    StringBuilder sb = new StringBuilder();
                    for (byte x : a.bytes()) {
                        sb.append(String.format("%02X", x));
                    }
                    out.add(sb.toString());
                }
            }
        }
        return out;
    }

    private boolean itemsUnsupported;

    private void emit(LogEvent.Builder b, boolean full) throws IOException {
        if (full) {
            ctx.counter.fullyDecoded++;
        }
        ctx.counter.eventsEmitted++;
        ctx.sink.accept(b.build());
    }

    /** Parses the item descriptors, backtrace and value area of a log/activity/signpost record. */
    private List<Arg> items(byte[] d, int p, int e, int flags, LogEvent.Builder b, int privStart, int privEnd)
            throws TruncatedException {
        itemsUnsupported = false;
        List<Arg> args = new ArrayList<>();
        if (e - p < 2) {
            return args;
        }
        p++; // unknown
        int count = d[p++] & 0xff;
        int[] type = new int[count];
        int[] size = new int[count];
        int[] payload = new int[count];
        for (int i = 0; i < count; i++) {
            type[i] = u8(d, p, e);
            size[i] = u8(d, p + 1, e);
            payload[i] = p + 2;
            need(p + 2, size[i], e);
            p += 2 + size[i];
        }
        boolean bt = (flags & 0x1000) != 0
                || (e - p > 3 && d[p] == 1 && d[p + 1] == 0 && d[p + 2] == 0x12);
        if (bt && e - p >= 6) {
            int nUuid = d[p + 3] & 0xff;
            int nOff = u16(d, p + 4, e);
            int q = p + 6;
            UUID[] us = new UUID[nUuid];
            for (int i = 0; i < nUuid; i++) {
                us[i] = uuid(d, q, e);
                q += 16;
            }
            long[] offs = new long[nOff];
            for (int i = 0; i < nOff; i++) {
                offs[i] = u32(d, q, e);
                q += 4;
            }
            List<LogEvent.BacktraceFrame> frames = new ArrayList<>(nOff);
            for (int i = 0; i < nOff; i++) {
                int idx = u8(d, q + i, e);
                frames.add(new LogEvent.BacktraceFrame(idx < nUuid ? us[idx] : null, offs[i]));
            }
            q += nOff;
            q += (4 - nOff % 4) % 4;
            b.backtrace(frames);
            p = Math.min(q, e);
        }
        int values = p;
        for (int i = 0; i < count; i++) {
            int t = type[i];
            int s = size[i];
            int pl = payload[i];
            switch (t) {
                case 0x00, 0x02 -> args.add(Arg.number(java.util.Arrays.copyOfRange(d, pl, pl + s)));
                case 0x10, 0x12 -> args.add(new Arg(Arg.Kind.PRECISION, java.util.Arrays.copyOfRange(d, pl, pl + s), null));
                case 0x01 -> {
                    int off = s >= 4 ? u16(d, pl, e) : 0;
                    int len = s >= 4 ? u16(d, pl + 2, e) : 0;
                    if (len == 0x8000 || len == 0 || privStart < 0 || privStart + off + len > d.length) {
                        args.add(Arg.privateValue());
                    } else {
                        args.add(Arg.number(java.util.Arrays.copyOfRange(d, privStart + off, privStart + off + len)));
                    }
                }
                case 0x21, 0x25, 0x31, 0x35, 0x41, 0x81, 0xF1 -> {
                    int off = s >= 4 ? u16(d, pl, e) : 0;
                    int len = s >= 4 ? u16(d, pl + 2, e) : 0;
                    if (len == 0 || privStart < 0 || privStart + off + len > d.length) {
                        args.add(Arg.privateValue());
                    } else {
                        args.add(Arg.string(Uuidtext.cstring(d, privStart + off, privStart + off + len)));
                    }
                }
                case 0x05, 0x45, 0x85 -> args.add(Arg.privateValue());
                case 0x20, 0x22, 0x40, 0x42, 0x30, 0x32, 0xF2 -> {
                    if (s < 4) {
                        itemsUnsupported = true;
                        ctx.counter.unsupported("item 0x" + Integer.toHexString(t) + " size " + s);
                        args.add(Arg.string(FormatRenderer.MISSING));
                        continue;
                    }
                    int off = u16(d, pl, e);
                    int len = u16(d, pl + 2, e);
                    if (len == 0) {
                        args.add(new Arg(Arg.Kind.NULL_OBJECT, null, null));
                    } else if (values + off >= e) {
                        itemsUnsupported = true;
                        args.add(Arg.string(FormatRenderer.MISSING));
                    } else if (values + off + len > e) {
                        // the writer cut a long value at the record end (its size field still says the full
                        // length, seen with bit 15 set): keep what is there, as log show does
                        ctx.counter.unsupported("value truncated by writer");
                        args.add(Arg.string(Uuidtext.cstring(d, values + off, e)));
                    } else if (t == 0x30 || t == 0x32 || t == 0xF2) {
                        args.add(new Arg(Arg.Kind.BYTES, java.util.Arrays.copyOfRange(d, values + off, values + off + len), null));
                    } else {
                        args.add(Arg.string(Uuidtext.cstring(d, values + off, values + off + len)));
                    }
                }
                default -> {
                    itemsUnsupported = true;
                    ctx.counter.unsupported("item 0x" + Integer.toHexString(t));
                    args.add(Arg.string("<decode: unsupported item 0x" + Integer.toHexString(t) + ">"));
                }
            }
        }
        return args;
    }

    // ---------------------------------------------------------------- other chunks

    private void oversize(byte[] d, int o, int end) throws TruncatedException {
        ctx.counter.entriesRead++;
        long p1 = u64(d, o + 16, end);
        long p2 = u32(d, o + 24, end);
        long ref = u32(d, o + 40, end);
        int pub = u16(d, o + 44, end);
        int priv = u16(d, o + 46, end);
        int ds = o + 48;
        int de = Math.min(end, ds + pub + priv);
        int pubEnd = Math.min(de, ds + pub);
        LogEvent.Builder scratch = LogEvent.builder();
        List<Arg> args = items(d, ds, pubEnd, 0, scratch, priv > 0 ? pubEnd : -1, de);
        if (ctx.oversizeBytes + (end - o) <= MAX_OVERSIZE_BYTES) {
            ctx.oversizeBytes += end - o;
            ctx.oversize.put(new OversizeKey(p1, p2, ref), args);
        } else {
            ctx.counter.unsupported("oversize store full");
        }
    }

    private void statedump(byte[] d, int o, int end, EvidencePath at) throws IOException {
        ctx.counter.entriesRead++;
        long p1 = u64(d, o + 16, end);
        long p2 = u32(d, o + 24, end);
        long ct = u64(d, o + 32, end);
        long aid = u64(d, o + 40, end);
        UUID sender = uuid(d, o + 48, end);
        long type = u32(d, o + 64, end);
        long size = u32(d, o + 68, end);
        need(o + 72, 192, end);
        String lib = Uuidtext.cstring(d, o + 72, o + 136);
        String objType = Uuidtext.cstring(d, o + 136, o + 200);
        String title = Uuidtext.cstring(d, o + 200, o + 264);
        int data = o + 264;
        long avail = Math.max(0, end - data);
        Catalog.ProcessEntry pe = catalog == null ? null : catalog.process(p1, p2);
        LogEvent.Builder b = LogEvent.builder().eventType("stateEvent").machTimestamp(ct).timestamp(wall(ct, ct))
                .activityIdentifier(aid).senderImageUUID(sender).traceID(0L)
                .bootUUID(header == null ? null : header.bootUuid())
                .source(at.then("statedump", "@ 0x" + Integer.toHexString(o)));
        process(b, pe);
        b.extra("statedumpTitle", title).extra("statedumpDataType", type).extra("statedumpDataSize", size);
        boolean full = false;
        String msg;
        if (type == 1) {
            int n = (int) Math.min(size, avail);
            try {
                Object plist = io.vestige.format.plist.PropertyList.parse(java.util.Arrays.copyOfRange(d, data, data + n),
                        ctx.limits);
                msg = title + ": " + io.vestige.format.plist.PropertyList.render(plist, 4096);
                full = n == size;
            } catch (io.vestige.io.ParseException e) {
                ctx.counter.unsupported("statedump plist unreadable");
                msg = title + ": <plist, " + n + " bytes>";
            }
        } else if (type == 3) {
            ctx.counter.unsupported("statedump object " + objType);
            b.extra("statedumpDecoderLibrary", lib).extra("statedumpDecoderType", objType);
            msg = title + ": <" + objType + " object, " + Math.min(size, avail) + " bytes>";
        } else {
            ctx.counter.unsupported("statedump data type " + type);
            msg = title + ": <" + Math.min(size, avail) + " bytes>";
        }
        b.eventMessage(msg);
        emit(b, full);
    }

    private void simpledump(byte[] d, int o, int end, EvidencePath at) throws IOException {
        ctx.counter.entriesRead++;
        long p1 = u64(d, o + 16, end);
        long p2 = u64(d, o + 24, end);
        long ct = u64(d, o + 32, end);
        long tid = u64(d, o + 40, end);
        long pc = u32(d, o + 48, end);
        UUID sender = uuid(d, o + 56, end);
        UUID dsc = uuid(d, o + 72, end);
        long subLen = u32(d, o + 92, end);
        long msgLen = u32(d, o + 96, end);
        int s = o + 100;
        if (subLen > end - s || msgLen > end - s - subLen) {
            throw new TruncatedException("tracev3 simpledump", -1, subLen + msgLen, end - s);
        }
        String sub = Uuidtext.cstring(d, s, s + (int) subLen);
        String msg = Uuidtext.cstring(d, s + (int) subLen, s + (int) subLen + (int) msgLen);
        Catalog.ProcessEntry pe = catalog == null ? null : catalog.process(p1, p2);
        LogEvent.Builder b = LogEvent.builder().eventType("stateEvent").machTimestamp(ct).timestamp(wall(ct, ct))
                .threadID(tid).senderImageUUID(sender).senderProgramCounter(pc).traceID(0L)
                .bootUUID(header == null ? null : header.bootUuid())
                .subsystem(sub.isEmpty() ? null : sub).eventMessage(msg)
                .source(at.then("simpledump", "@ 0x" + Integer.toHexString(o)));
        b.extra("dumpKind", "simpledump").extra("dscUUID", StringResolver.hex(dsc));
        process(b, pe);
        emit(b, true);
    }

    /** Second pass: events whose oversize data came later (or in another file). */
    static void flushPending(Context ctx) throws IOException {
        for (Pending pd : ctx.pending) {
            List<Arg> over = ctx.oversize.get(pd.key());
            LogEvent.Builder b = pd.builder();
            if (over == null) {
                ctx.counter.unsupported("oversize data not found");
            }
            boolean full = compose(ctx, b, pd.resolved(), over == null ? List.of() : over) && over != null
                    && !pd.itemsUnsupported();
            if (full) {
                ctx.counter.fullyDecoded++;
            }
            ctx.counter.eventsEmitted++;
            ctx.sink.accept(b.build());
        }
        ctx.pending.clear();
    }

}
