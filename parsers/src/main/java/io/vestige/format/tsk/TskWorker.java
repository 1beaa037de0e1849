package io.vestige.format.tsk;

import io.vestige.io.ByteSource;
import io.vestige.io.ParseLimits;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The child-process side of the isolated TSK engine: loads libtsk, opens the image the parent
 * serves through read requests on the pipe, and answers file-system requests ({@link TskWire}).
 * If libtsk crashes on a hostile image only this process dies; the parent reports it.
 */
public final class TskWorker {
    private final DataInputStream in;
    private final DataOutputStream out;
    private TskLibrary lib;
    private TskImage image;
    private final Map<Integer, TskFs> fss = new HashMap<>();
    private int nextId = 1;

    private TskWorker(DataInputStream in, DataOutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Entry point of the worker process; stdin/stdout carry the protocol, nothing else may write to stdout. */
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        new TskWorker(in, out).serve();
        System.exit(0);
    }

    private void serve() throws IOException {
        while (true) {
            int op;
            try {
                op = in.readInt();
            } catch (EOFException e) {
                return;
            }
            if (op == TskWire.OP_QUIT) {
                return;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream reply = new DataOutputStream(buf);
            try {
                handle(op, reply);
                reply.flush();
                out.writeInt(TskWire.REPLY_OK);
                out.write(buf.toByteArray());
            } catch (Throwable t) {
                TskWire.error(out, t);
            }
            out.flush();
        }
    }

    /** A file system and where it was found (volume-system step, pool). */
    private record Placed(TskFs fs, String vsLayer, String vsDetail, boolean pooled) {
    }

    /** The pool volumes or the file system at {@code offset}, or {@code null} when TSK finds neither. */
    private List<Placed> openAt(long offset, String vsLayer, String vsDetail, List<String> warnings) throws IOException {
        List<Placed> out = new ArrayList<>();
        TskPool pool = null;
        try {
            pool = image.openPool(offset);
        } catch (TskException notPool) {
            // a plain file system, tried below
        }
        if (pool != null) {
            try {
                for (TskPoolVolumeInfo v : pool.volumes()) {
                    if (v.encrypted()) {
                        warnings.add("volume \"" + v.desc() + "\" is encrypted; not opened by the TSK engine");
                        continue;
                    }
                    try {
                        out.add(new Placed(pool.openFileSystem(v), vsLayer, vsDetail, true));
                    } catch (TskException e) {
                        warnings.add(e.getMessage());
                    }
                }
            } finally {
                pool.close();
            }
            return out;
        }
        try {
            out.add(new Placed(image.openFileSystem(offset), vsLayer, vsDetail, false));
        } catch (TskException notFs) {
            return null;
        }
        return out;
    }

    private void replyOpened(DataOutputStream r, List<Placed> opened, List<String> warnings) throws IOException {
        TskWire.str(r, lib.version());
        r.writeInt(warnings.size());
        for (String w : warnings) {
            TskWire.str(r, w);
        }
        r.writeInt(opened.size());
        for (Placed p : opened) {
            int id = nextId++;
            fss.put(id, p.fs());
            r.writeInt(id);
            TskWire.info(r, p.fs().info());
            TskWire.str(r, p.fs().tskTypeName());
            TskWire.volume(r, p.fs().poolVolume());
            TskWire.str(r, p.vsLayer());
            TskWire.str(r, p.vsDetail());
            r.writeBoolean(p.pooled());
        }
    }

    /** Closes everything of the previous image, so that the worker can serve another. */
    private void reset() {
        for (TskFs fs : fss.values()) {
            fs.close();
        }
        fss.clear();
        if (image != null) {
            image.close();
            image = null;
        }
    }

    private TskFs fs(int id) throws IOException {
        TskFs fs = fss.get(id);
        if (fs == null) {
            throw new IOException("TSK worker: no open file system #" + id);
        }
        return fs;
    }

    private static ParseLimits limits(long maxDirEntries, int maxName, long maxXattr) {
        return ParseLimits.defaults().with("maxDirectoryEntries", maxDirEntries).with("maxNameLength", maxName)
                .with("maxXattrSize", maxXattr);
    }

    private void handle(int op, DataOutputStream r) throws IOException {
        switch (op) {
            case TskWire.OP_PROBE -> {
                String libPath = TskWire.str(in);
                long size = in.readLong();
                TskLibrary l = TskLibrary.load(libPath);
                boolean yes = false;
                try (TskImage img = l.openImage(new RemoteSource(size))) {
                    try (TskPool pool = img.openPool(0)) {
                        yes = true;
                    } catch (TskException notPool) {
                        try (TskFs fs = img.openFileSystem(0)) {
                            yes = true;
                        } catch (TskException notFs) {
                            yes = false;
                        }
                    }
                }
                r.writeBoolean(yes);
            }
            case TskWire.OP_RESET -> reset();
            case TskWire.OP_VOLUME_SYSTEM -> {
                String libPath = TskWire.str(in);
                long size = in.readLong();
                long maxParts = in.readLong();
                TskLibrary l = TskLibrary.load(libPath);
                try (TskImage img = l.openImage(new RemoteSource(size))) {
                    TskWire.vs(r, img.volumeSystem(0, ParseLimits.defaults().with("maxTableEntries", maxParts)));
                }
            }
            case TskWire.OP_OPEN -> {
                String libPath = TskWire.str(in);
                long size = in.readLong();
                reset();
                lib = TskLibrary.load(libPath);
                image = lib.openImage(new RemoteSource(size));
                List<String> warnings = new ArrayList<>();
                List<Placed> opened = openAt(0, null, null, warnings);
                if (opened == null) {
                    throw lib.error("tsk_fs_open_img", 0, image.external);
                }
                replyOpened(r, opened, warnings);
            }
            case TskWire.OP_OPEN_FILES -> {
                String libPath = TskWire.str(in);
                int n = in.readInt();
                if (n <= 0 || n > 65536) {
                    throw new IOException("TSK worker: " + n + " image files");
                }
                List<java.nio.file.Path> paths = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    paths.add(java.nio.file.Path.of(TskWire.str(in)));
                }
                long maxParts = in.readLong();
                reset();
                lib = TskLibrary.load(libPath);
                image = lib.openImage(paths);
                List<String> warnings = new ArrayList<>();
                List<Placed> opened = openAt(0, null, null, warnings);
                if (opened == null) {
                    TskVsInfo vs = image.volumeSystem(0, ParseLimits.defaults().with("maxTableEntries", maxParts));
                    if (vs == null) {
                        throw new TskException("TSK image " + image.describe(), 0,
                                "no file system, pool or volume system recognised by TSK " + lib.version());
                    }
                    opened = new ArrayList<>();
                    for (TskVsPartInfo p : vs.parts()) {
                        if (!p.allocated()) {
                            continue;
                        }
                        long off = Math.multiplyExact(p.start(), vs.blockSize());
                        String detail = "#" + p.addr() + " @ " + off;
                        try {
                            List<Placed> got = openAt(off, vs.typeName(), detail, warnings);
                            if (got == null) {
                                warnings.add(vs.typeName() + " " + detail + " \"" + p.desc()
                                        + "\": no file system recognised by TSK");
                            } else {
                                opened.addAll(got);
                            }
                        } catch (IOException e) {
                            warnings.add(vs.typeName() + " " + detail + ": " + e.getMessage());
                        }
                    }
                }
                replyOpened(r, opened, warnings);
            }
            case TskWire.OP_STAT -> {
                TskFs fs = fs(in.readInt());
                long inum = in.readLong();
                int maxName = in.readInt();
                TskWire.meta(r, fs.stat(inum, limits(1, maxName, 1)));
            }
            case TskWire.OP_LIST -> {
                TskFs fs = fs(in.readInt());
                long inum = in.readLong();
                long maxEntries = in.readLong();
                int maxName = in.readInt();
                List<TskFs.Child> kids = fs.list(inum, limits(maxEntries, maxName, 1));
                r.writeInt(kids.size());
                for (TskFs.Child c : kids) {
                    TskWire.name(r, c.name());
                    TskWire.meta(r, c.meta());
                }
            }
            case TskWire.OP_READ -> {
                TskFs fs = fs(in.readInt());
                long inum = in.readLong();
                long offset = in.readLong();
                int len = Math.min(Math.max(0, in.readInt()), TskFs.MAX_READ);
                ByteBuffer b = ByteBuffer.allocate(len);
                int n = fs.read(inum, offset, b);
                r.writeInt(n);
                r.write(b.array(), 0, Math.max(0, n));
            }
            case TskWire.OP_ATTRS -> {
                TskFs fs = fs(in.readInt());
                long inum = in.readLong();
                int maxName = in.readInt();
                List<TskFsAttr> attrs = fs.attributes(inum, limits(1, maxName, 1));
                r.writeInt(attrs.size());
                for (TskFsAttr a : attrs) {
                    TskWire.attr(r, a);
                }
            }
            case TskWire.OP_READ_ATTR -> {
                TskFs fs = fs(in.readInt());
                long inum = in.readLong();
                int idx = in.readInt();
                long maxXattr = Math.min(in.readLong(), TskWire.MAX_BYTES - 64);
                int maxName = in.readInt();
                byte[] b = fs.readAttribute(inum, idx, limits(1, maxName, maxXattr));
                r.writeInt(b.length);
                r.write(b);
            }
            case TskWire.OP_DEFAULT_ATTR_SIZE -> {
                TskFs fs = fs(in.readInt());
                r.writeLong(fs.defaultAttributeSize(in.readLong()));
            }
            case TskWire.OP_CLOSE_FS -> {
                TskFs fs = fss.remove(in.readInt());
                if (fs != null) {
                    fs.close();
                }
            }
            default -> throw new IOException("TSK worker: unknown request " + op);
        }
    }

    /** The image bytes, fetched from the parent on demand. */
    private final class RemoteSource implements ByteSource {
        private final long size;

        RemoteSource(long size) {
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String describe() {
            return "image served by the parent process";
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            if (offset >= size) {
                return -1;
            }
            int want = (int) Math.min(Math.min(dst.remaining(), size - offset), TskWire.MAX_BYTES - 64);
            out.writeInt(TskWire.READ_REQUEST);
            out.writeLong(offset);
            out.writeInt(want);
            out.flush();
            int op = in.readInt();
            if (op != TskWire.OP_READ_DATA) {
                throw new IOException("TSK worker protocol: expected read data, got " + op);
            }
            int n = in.readInt();
            if (n < 0) {
                throw new IOException(TskWire.str(in));
            }
            if (n > want) {
                throw new IOException("TSK worker protocol: " + n + " bytes for a " + want + "-byte read");
            }
            dst.put(TskWire.bytes(in, n));
            return n == 0 ? -1 : n;
        }
    }
}
