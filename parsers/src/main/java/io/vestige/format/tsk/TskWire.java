package io.vestige.format.tsk;

import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The pipe protocol between {@link TskWorkerClient} and {@link TskWorker}: big-endian frames, each
 * an {@code int} opcode and its fields. The client sends one request and then serves the worker's
 * read requests (the image bytes live in the client) until the reply arrives.
 */
final class TskWire {
    private TskWire() {
    }

    // client → worker
    static final int OP_PROBE = 1;
    static final int OP_OPEN = 2;
    static final int OP_STAT = 3;
    static final int OP_LIST = 4;
    static final int OP_READ = 5;
    static final int OP_ATTRS = 6;
    static final int OP_READ_ATTR = 7;
    static final int OP_DEFAULT_ATTR_SIZE = 8;
    static final int OP_CLOSE_FS = 9;
    static final int OP_QUIT = 10;
    static final int OP_RESET = 11;
    static final int OP_VOLUME_SYSTEM = 12;
    static final int OP_OPEN_FILES = 13;
    static final int OP_READ_DATA = 100;

    // worker → client
    static final int REPLY_OK = 1;
    static final int REPLY_ERROR = 2;
    static final int READ_REQUEST = 3;

    /** Largest frame payload accepted from the other side (bounds allocations on a corrupt pipe). */
    static final int MAX_BYTES = 80 << 20;

    static void str(DataOutputStream o, String s) throws IOException {
        if (s == null) {
            o.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return new String(bytes(in, n), StandardCharsets.UTF_8);
    }

    static byte[] bytes(DataInputStream in, int n) throws IOException {
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("TSK worker protocol: bad length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void info(DataOutputStream o, TskFsInfo i) throws IOException {
        o.writeInt(i.tag());
        o.writeLong(i.offset());
        o.writeLong(i.inumCount());
        o.writeLong(i.rootInum());
        o.writeLong(i.firstInum());
        o.writeLong(i.lastInum());
        o.writeLong(i.blockCount());
        o.writeLong(i.blockSize());
        o.writeInt(i.ftype());
        o.writeInt(i.flags());
    }

    static TskFsInfo info(DataInputStream in) throws IOException {
        return new TskFsInfo(in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readInt(), in.readInt());
    }

    static void volume(DataOutputStream o, TskPoolVolumeInfo v) throws IOException {
        o.writeBoolean(v != null);
        if (v != null) {
            o.writeInt(v.index());
            str(o, v.desc());
            o.writeLong(v.block());
            o.writeLong(v.numBlocks());
            o.writeInt(v.flags());
        }
    }

    static TskPoolVolumeInfo volume(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new TskPoolVolumeInfo(in.readInt(), str(in), in.readLong(), in.readLong(), in.readInt());
    }

    static void vs(DataOutputStream o, TskVsInfo v) throws IOException {
        o.writeBoolean(v != null);
        if (v == null) {
            return;
        }
        o.writeInt(v.vstype());
        str(o, v.typeName());
        o.writeBoolean(v.backup());
        o.writeLong(v.offset());
        o.writeLong(v.blockSize());
        o.writeInt(v.parts().size());
        for (TskVsPartInfo p : v.parts()) {
            o.writeLong(p.addr());
            o.writeLong(p.start());
            o.writeLong(p.length());
            str(o, p.desc());
            o.writeInt(p.tableNum());
            o.writeInt(p.slotNum());
            o.writeInt(p.flags());
        }
    }

    static TskVsInfo vs(DataInputStream in, long maxParts) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int type = in.readInt();
        String name = str(in);
        boolean backup = in.readBoolean();
        long offset = in.readLong();
        long bs = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > maxParts) {
            throw new IOException("TSK worker protocol: " + n + " partitions");
        }
        java.util.List<TskVsPartInfo> parts = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(new TskVsPartInfo(in.readLong(), in.readLong(), in.readLong(), str(in), in.readInt(), in.readInt(),
                    in.readInt()));
        }
        return new TskVsInfo(type, name, backup, offset, bs, parts);
    }

    static void meta(DataOutputStream o, TskFsMeta m) throws IOException {
        o.writeBoolean(m != null);
        if (m == null) {
            return;
        }
        o.writeInt(m.tag());
        o.writeInt(m.flags());
        o.writeLong(m.addr());
        o.writeInt(m.type());
        o.writeInt(m.mode());
        o.writeInt(m.nlink());
        o.writeLong(m.size());
        o.writeLong(m.uid());
        o.writeLong(m.gid());
        o.writeLong(m.mtime());
        o.writeInt(m.mtimeNano());
        o.writeLong(m.atime());
        o.writeInt(m.atimeNano());
        o.writeLong(m.ctime());
        o.writeInt(m.ctimeNano());
        o.writeLong(m.crtime());
        o.writeInt(m.crtimeNano());
        o.writeLong(m.seq());
        str(o, m.link());
    }

    static TskFsMeta meta(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new TskFsMeta(in.readInt(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readInt(),
                in.readLong(), in.readInt(), in.readLong(), in.readInt(), in.readLong(), str(in));
    }

    static void name(DataOutputStream o, TskFsName n) throws IOException {
        o.writeInt(n.tag());
        str(o, n.name());
        str(o, n.shortName());
        o.writeLong(n.metaAddr());
        o.writeLong(n.metaSeq());
        o.writeLong(n.parAddr());
        o.writeLong(n.dateAdded());
        o.writeInt(n.type());
        o.writeInt(n.flags());
    }

    static TskFsName name(DataInputStream in) throws IOException {
        return new TskFsName(in.readInt(), str(in), str(in), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readInt(), in.readInt());
    }

    static void attr(DataOutputStream o, TskFsAttr a) throws IOException {
        o.writeInt(a.flags());
        str(o, a.name());
        o.writeInt(a.type());
        o.writeInt(a.id());
        o.writeLong(a.size());
    }

    static TskFsAttr attr(DataInputStream in) throws IOException {
        return new TskFsAttr(in.readInt(), str(in), in.readInt(), in.readInt(), in.readLong());
    }

    private static final java.util.regex.Pattern LIMIT_MESSAGE =
            java.util.regex.Pattern.compile("value (\\d+) exceeds limit \\S+?=(\\d+)");

    /** Sends an exception so that the client can rethrow the same kind with the same message. */
    static void error(DataOutputStream o, Throwable t) throws IOException {
        o.writeInt(REPLY_ERROR);
        if (t instanceof LimitExceededException l) {
            o.writeInt(2);
            str(o, l.structure());
            o.writeLong(l.offset());
            str(o, l.setting());
            // the exception keeps only its message: recover limit and found from it
            java.util.regex.Matcher m = LIMIT_MESSAGE.matcher(String.valueOf(l.getMessage()));
            boolean ok = m.find();
            o.writeLong(ok ? Long.parseLong(m.group(2)) : -1);
            o.writeLong(ok ? Long.parseUnsignedLong(m.group(1)) : -1);
        } else if (t instanceof ParseException p) {
            o.writeInt(1);
            str(o, p.structure());
            o.writeLong(p.offset());
            str(o, p.getMessage());
        } else {
            o.writeInt(0);
            str(o, String.valueOf(t.getMessage() == null ? t.toString() : t.getMessage()));
        }
    }

    static IOException readError(DataInputStream in) throws IOException {
        int kind = in.readInt();
        switch (kind) {
            case 2: {
                String structure = str(in);
                long offset = in.readLong();
                String setting = str(in);
                long limit = in.readLong();
                long found = in.readLong();
                return new LimitExceededException(structure, offset, setting, limit, found);
            }
            case 1: {
                String structure = str(in);
                long offset = in.readLong();
                String message = str(in);
                return new TskException(structure, offset, stripPrefix(message, structure, offset));
            }
            default:
                return new IOException(str(in));
        }
    }

    /** A ParseException message is {@code structure @ offset: detail}; rebuild it from the detail. */
    private static String stripPrefix(String message, String structure, long offset) {
        String prefix = ParseException.at(offset);
        String head = offset >= 0 ? structure + " @ " + prefix + ": " : structure + ": ";
        return message != null && message.startsWith(head) ? message.substring(head.length()) : message;
    }
}
