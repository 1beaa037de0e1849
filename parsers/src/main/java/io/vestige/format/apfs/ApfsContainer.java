package io.vestige.format.apfs;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.UnsupportedFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An APFS container: finds every valid checkpoint in the checkpoint descriptor ring (never
 * trusting block 0 alone), picks the newest one (or the newest not after a chosen xid) and opens
 * its volumes, snapshots and older states (Apple File System Reference, "Container",
 * "Checkpoints"; FORMATS.md §3.2).
 */
public final class ApfsContainer implements Closeable {
    private static final int PROBE = 4096;
    /** How far to look for a superblock copy when block 0 is damaged. */
    private static final long RESCUE_SCAN_BLOCKS = 8192;

    private final BlockReader io;
    private final OpenOptions options;
    private final Diagnostics diagnostics;
    private final EvidencePath evidencePath;
    private final List<ApfsCheckpoint> checkpoints;
    private final ApfsCheckpoint current;
    private final NxSuperblock block0;

    private ApfsContainer(BlockReader io, OpenOptions options, EvidencePath path, List<ApfsCheckpoint> checkpoints,
                          ApfsCheckpoint current, NxSuperblock block0) {
        this.io = io;
        this.options = options;
        this.diagnostics = options.diagnostics();
        this.evidencePath = path;
        this.checkpoints = List.copyOf(checkpoints);
        this.current = current;
        this.block0 = block0;
    }

    /** True when block 0 carries the {@code NXSB} magic (a cheap probe; no checksum). */
    public static boolean probe(ByteSource src) throws IOException {
        if (src.size() < PROBE) {
            return false;
        }
        byte[] b = src.readBytes(0, 40);
        return b[32] == 'N' && b[33] == 'X' && b[34] == 'S' && b[35] == 'B';
    }

    public static ApfsContainer open(ByteSource src) throws IOException {
        return open(src, EvidencePath.ofFile(src.describe()), OpenOptions.defaults());
    }

    /**
     * Opens the container in {@code src}. The setting {@code xid=N} selects the newest checkpoint
     * whose xid is at most N.
     */
    public static ApfsContainer open(ByteSource src, EvidencePath path, OpenOptions options) throws IOException {
        Diagnostics diag = options.diagnostics();
        String name = src.describe();
        NxSuperblock b0 = null;
        ParseException b0Error = null;
        try {
            b0 = readSuperblock(src, 0, -1);
        } catch (ParseException e) {
            b0Error = e;
            diag.add(Diagnostic.warning(name, "APFS nx_superblock", 0, "block 0: " + e.getMessage()
                    + "; looking for a superblock copy in the checkpoint area"));
        }
        NxSuperblock locator = b0;
        if (locator == null) {
            locator = rescue(src);
            if (locator == null) {
                throw b0Error;
            }
            diag.add(Diagnostic.warning(name, "APFS nx_superblock", locator.paddr() * locator.blockSize(),
                    "using the superblock copy at block " + locator.paddr() + " (xid " + locator.xid()
                            + ") to locate the checkpoint area"));
        }
        if ((locator.incompatFeatures() & NxSuperblock.INCOMPAT_FUSION) != 0) {
            throw new UnsupportedFormatException("APFS nx_superblock", 64,
                    "Fusion containers need tier-2 address translation, which Vestige does not implement");
        }
        BlockReader io = new BlockReader(src, locator.blockSize(), locator.blockCount(), options.limits(), diag);
        if (locator.blockCount() > src.size() / locator.blockSize()) {
            io.warn("APFS nx_superblock", 40, "nx_block_count " + locator.blockCount() + " exceeds the "
                    + src.size() / locator.blockSize() + " blocks present (truncated image?)");
        }
        List<ApfsCheckpoint> cps = scanRing(io, locator);
        if (cps.isEmpty()) {
            if (b0 == null) {
                throw new MalformedException("APFS checkpoint area", locator.xpDescBase() * locator.blockSize(),
                        "no valid container superblock in the checkpoint descriptor area");
            }
            io.warn("APFS checkpoint area", locator.xpDescBase() * locator.blockSize(),
                    "no valid superblock in the checkpoint descriptor area; using block 0 (xid " + b0.xid() + ")");
            cps = List.of(new ApfsCheckpoint(b0.xid(), 0, b0, false));
        }
        ApfsCheckpoint chosen = choose(cps, options.setting("xid"));
        if (b0 != null && b0.xid() != chosen.xid() && options.setting("xid") == null) {
            io.warn("APFS nx_superblock", 0, "block 0 holds xid " + b0.xid() + " but the newest checkpoint is xid "
                    + chosen.xid() + " (block " + chosen.block() + ")");
        }
        return new ApfsContainer(io, options, path, cps, chosen, b0);
    }

    private static ApfsCheckpoint choose(List<ApfsCheckpoint> cps, String xidSetting) throws ParseException {
        long limit = -1;
        if (xidSetting != null) {
            try {
                limit = Long.parseUnsignedLong(xidSetting.trim());
            } catch (NumberFormatException e) {
                throw new MalformedException("option xid", -1, "not a transaction number: " + xidSetting);
            }
        }
        ApfsCheckpoint best = null;
        for (ApfsCheckpoint c : cps) {
            if (limit != -1 && Long.compareUnsigned(c.xid(), limit) > 0) {
                continue;
            }
            // prefer checkpoints whose maps are intact; among equals the newest
            if (best == null || (c.mapsValid() && !best.mapsValid())
                    || (c.mapsValid() == best.mapsValid() && Long.compareUnsigned(c.xid(), best.xid()) > 0)) {
                best = c;
            }
        }
        if (best == null) {
            throw new MalformedException("APFS checkpoint area", -1, "no checkpoint with xid <= " + xidSetting);
        }
        return best;
    }

    static NxSuperblock readSuperblock(ByteSource src, long paddr, int blockSize) throws IOException {
        long off = paddr * (blockSize <= 0 ? PROBE : blockSize);
        byte[] head = src.readBytes(off, PROBE);
        NxSuperblock sb = NxSuperblock.parse(head, paddr, off);
        int bs = blockSize <= 0 ? sb.blockSize() : blockSize;
        byte[] block = bs == PROBE ? head : src.readBytes(off, bs);
        if (!Fletcher64.verify(block, block.length)) {
            throw new ChecksumException("APFS nx_superblock", off, "Fletcher-64", Fletcher64.stored(block),
                    Fletcher64.compute(block, block.length));
        }
        if (sb.header().baseType() != ObjPhys.TYPE_NX_SUPERBLOCK) {
            throw MalformedException.expected("APFS nx_superblock", off + 24, "object type", "0x80000001",
                    String.format("0x%x", sb.header().type()));
        }
        return NxSuperblock.parse(block, paddr, off);
    }

    /** Block 0 is damaged: find any valid superblock copy near the start (4 KiB steps). */
    private static NxSuperblock rescue(ByteSource src) throws IOException {
        long n = Math.min(RESCUE_SCAN_BLOCKS, src.size() / PROBE);
        NxSuperblock best = null;
        for (long i = 1; i < n; i++) {
            byte[] h = src.readBytes(i * PROBE, 40);
            if (h[32] != 'N' || h[33] != 'X' || h[34] != 'S' || h[35] != 'B') {
                continue;
            }
            try {
                NxSuperblock head = NxSuperblock.parse(src.readBytes(i * PROBE, PROBE), 0, i * PROBE);
                long byteOff = i * PROBE;
                if (byteOff % head.blockSize() != 0) {
                    continue;
                }
                NxSuperblock sb = readSuperblock(src, byteOff / head.blockSize(), head.blockSize());
                long p = sb.paddr();
                // a true copy sits inside the descriptor ring it describes (rules out e.g. a partition's block 0)
                if (Long.compareUnsigned(p, sb.xpDescBase()) < 0 || p - sb.xpDescBase() >= sb.descBlocks()) {
                    continue;
                }
                if (best == null || Long.compareUnsigned(sb.xid(), best.xid()) > 0) {
                    best = sb;
                }
            } catch (ParseException e) {
                // not a usable copy; keep looking
            }
        }
        return best;
    }

    private static List<ApfsCheckpoint> scanRing(BlockReader io, NxSuperblock loc) throws IOException {
        List<ApfsCheckpoint> out = new ArrayList<>();
        long base = loc.xpDescBase();
        long count = loc.descBlocks();
        if (loc.descNonContiguous()) {
            io.warn("APFS nx_superblock", 104, "non-contiguous checkpoint descriptor area is not supported; "
                    + "only block 0 is used");
            return out;
        }
        io.limits.check("maxTableEntries", count, "APFS checkpoint descriptor area", 104);
        if (count == 0 || Long.compareUnsigned(base, io.blockCount) >= 0 || count > io.blockCount - base) {
            io.warn("APFS nx_superblock", 112, "checkpoint descriptor area " + base + "+" + count
                    + " lies outside the container");
            return out;
        }
        for (long i = 0; i < count; i++) {
            long paddr = base + i;
            long off = paddr * io.blockSize;
            byte[] b;
            try {
                b = io.block(paddr, "APFS checkpoint descriptor");
            } catch (ParseException e) {
                io.recover(e);
                continue;
            }
            boolean magic = b[32] == 'N' && b[33] == 'X' && b[34] == 'S' && b[35] == 'B';
            long type = (b[24] & 0xffL) | (b[25] & 0xffL) << 8;
            if (!magic && type != ObjPhys.TYPE_NX_SUPERBLOCK) {
                continue;
            }
            if (!Fletcher64.verify(b, b.length)) {
                io.warn("APFS nx_superblock", off, "checkpoint superblock at block " + paddr
                        + " is damaged (Fletcher-64 mismatch); older checkpoints remain usable");
                continue;
            }
            NxSuperblock sb;
            try {
                sb = NxSuperblock.parse(b, paddr, off);
            } catch (ParseException e) {
                io.recover(e);
                continue;
            }
            if (sb.blockSize() != io.blockSize) {
                io.warn("APFS nx_superblock", off + 36, "checkpoint at block " + paddr + " has block size "
                        + sb.blockSize() + ", not " + io.blockSize);
                continue;
            }
            out.add(new ApfsCheckpoint(sb.xid(), paddr, sb, mapsValid(io, sb)));
        }
        out.sort(Comparator.comparing(ApfsCheckpoint::xid, Long::compareUnsigned).reversed());
        return out;
    }

    private static boolean mapsValid(BlockReader io, NxSuperblock sb) {
        try {
            mappings(io, sb);
            return true;
        } catch (IOException e) {
            io.warn("APFS checkpoint_map", sb.paddr() * io.blockSize, "checkpoint xid " + sb.xid() + ": "
                    + e.getMessage());
            return false;
        }
    }

    static List<CheckpointMapping> mappings(BlockReader io, NxSuperblock sb) throws IOException {
        List<CheckpointMapping> out = new ArrayList<>();
        long blocks = sb.descBlocks();
        if (blocks == 0 || sb.xpDescLen() == 0) {
            return out;
        }
        // a checkpoint cannot span more than the whole ring
        long len = Math.min(sb.xpDescLen(), blocks);
        for (long j = 0; j + 1 < len; j++) {
            long paddr = sb.xpDescBase() + (sb.xpDescIndex() + j) % blocks;
            byte[] b = io.object(paddr, "APFS checkpoint_map");
            StructReader r = StructReader.le(b, paddr * io.blockSize, "APFS checkpoint_map");
            ObjPhys h = ObjPhys.parse(r);
            if (h.baseType() != ObjPhys.TYPE_CHECKPOINT_MAP) {
                throw MalformedException.expected("APFS checkpoint_map", r.at(24), "object type", "0x4000000c",
                        String.format("0x%x", h.type()));
            }
            if (h.xid() != sb.xid()) {
                throw MalformedException.expected("APFS checkpoint_map", r.at(16), "o_xid", sb.xid(), h.xid());
            }
            long flags = r.u32(32);
            long count = r.u32(36);
            if (count > (b.length - 40) / CheckpointMapping.SIZE) {
                throw MalformedException.expected("APFS checkpoint_map", r.at(36), "cpm_count", "at most "
                        + (b.length - 40) / CheckpointMapping.SIZE, count);
            }
            for (int k = 0; k < count; k++) {
                int e = 40 + k * CheckpointMapping.SIZE;
                out.add(new CheckpointMapping(r.u32(e), r.u32(e + 4), r.u32(e + 8), r.u64(e + 16), r.u64(e + 24),
                        r.u64(e + 32)));
            }
            if ((flags & 1) != 0) {
                break;
            }
        }
        return out;
    }

    /** Valid checkpoints, newest first. */
    public List<ApfsCheckpoint> checkpoints() {
        return checkpoints;
    }

    /** The checkpoint this container was opened at. */
    public ApfsCheckpoint current() {
        return current;
    }

    public NxSuperblock superblock() {
        return current.superblock();
    }

    /** Block 0's superblock, or null when it was damaged. */
    public NxSuperblock block0() {
        return block0;
    }

    public int blockSize() {
        return io.blockSize;
    }

    /** Ephemeral-object mappings of the current checkpoint. */
    public List<CheckpointMapping> checkpointMappings() throws IOException {
        return mappings(io, current.superblock());
    }

    /** The number of volume slots in use at the current checkpoint. */
    public int volumeCount() {
        return current.superblock().fsOids().size();
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics.list();
    }

    EvidencePath evidencePath() {
        return evidencePath;
    }

    BlockReader io() {
        return io;
    }

    OpenOptions options() {
        return options;
    }

    /** The checkpoint with the greatest xid not after {@code xid}. */
    public ApfsCheckpoint checkpointAt(long xid) throws ParseException {
        return choose(checkpoints, Long.toUnsignedString(xid));
    }

    /** Volume {@code index} as of the current checkpoint. */
    public ApfsVolume openVolume(int index) throws IOException {
        return openVolume(index, current);
    }

    /** Volume {@code index} as of the newest checkpoint whose xid is at most {@code xid}. */
    public ApfsVolume openVolume(int index, long xid) throws IOException {
        return openVolume(index, checkpointAt(xid));
    }

    public ApfsVolume openVolume(int index, ApfsCheckpoint cp) throws IOException {
        NxSuperblock sb = cp.superblock();
        if (index < 0 || index >= sb.fsOids().size()) {
            throw new MalformedException("APFS nx_superblock", sb.paddr() * io.blockSize + 184, "volume index "
                    + index + " outside the " + sb.fsOids().size() + " volumes of checkpoint xid " + cp.xid());
        }
        long maxXid = cp.xid();
        ObjectMap omap = new ObjectMap(io, sb.omapOid(), maxXid, "APFS container");
        long fsOid = sb.fsOids().get(index);
        ObjectMap.Mapping m = omap.lookup(fsOid, cp.xid());
        if (m == null) {
            throw new MalformedException("APFS container omap", -1, "volume oid " + fsOid
                    + " has no object-map entry at xid " + cp.xid());
        }
        ApfsSuperblock apsb = readApsb(m.paddr(), fsOid, cp.xid());
        ObjectMap vomap = new ObjectMap(io, apsb.omapOid(), maxXid, "APFS volume " + apsb.name());
        return new ApfsVolume(this, index, cp, apsb, vomap, cp.xid(), null);
    }

    ApfsSuperblock readApsb(long paddr, long expectOid, long maxXid) throws IOException {
        byte[] b = io.object(paddr, "APFS apfs_superblock");
        ApfsSuperblock apsb = ApfsSuperblock.parse(b, paddr, paddr * io.blockSize);
        if (expectOid != -1 && apsb.header().oid() != expectOid) {
            throw MalformedException.expected("APFS apfs_superblock", paddr * io.blockSize + 8, "o_oid", expectOid,
                    apsb.header().oid());
        }
        if (Long.compareUnsigned(apsb.xid(), maxXid) > 0) {
            throw new MalformedException("APFS apfs_superblock", paddr * io.blockSize + 16, "o_xid " + apsb.xid()
                    + " newer than checkpoint " + maxXid + ": block reused");
        }
        return apsb;
    }

    /** Every volume at the current checkpoint; volumes that cannot be read are reported and skipped. */
    public List<ApfsVolume> volumes() throws IOException {
        List<ApfsVolume> out = new ArrayList<>();
        for (int i = 0; i < volumeCount(); i++) {
            try {
                out.add(openVolume(i));
            } catch (ParseException e) {
                diagnostics.recover(io.sourceName, e);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        // the source belongs to the caller
    }

    static boolean isNxsb(byte[] b) throws BadMagicException {
        return b.length >= 36 && b[32] == 'N' && b[33] == 'X' && b[34] == 'S' && b[35] == 'B';
    }
}
