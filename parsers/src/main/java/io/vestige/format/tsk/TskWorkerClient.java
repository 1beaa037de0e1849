package io.vestige.format.tsk;

import io.vestige.io.ByteSource;
import io.vestige.io.ParseLimits;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs libtsk in a child JVM ({@link TskWorker}) and serves it the image bytes from a Vestige
 * {@link ByteSource}: a crash of TSK's C code on a hostile image ends that process, and every call
 * on its file systems then fails with a {@link TskException} saying so, while Vestige carries on.
 * Calls are serialised; one worker serves one image.
 */
final class TskWorkerClient {
    private final Process process;
    private final DataOutputStream out;
    private final DataInputStream in;
    private ByteSource source;
    private final Path errorFile;
    /** Healthy workers kept for the next image: starting a JVM costs far more than a probe. */
    private static final java.util.Deque<TskWorkerClient> IDLE = new java.util.ArrayDeque<>();
    private static final int MAX_IDLE = 2;
    private String dead;
    private int refs;

    /** Result of {@link #open}: the worker's file systems and anything it skipped. */
    record Opened(String version, List<RemoteFs> fileSystems, List<String> warnings) {
    }

    private interface Args {
        void write(DataOutputStream o) throws IOException;
    }

    private interface Reply<T> {
        T read(DataInputStream in) throws IOException;
    }

    private TskWorkerClient(Process process, ByteSource source, Path errorFile) {
        this.process = process;
        this.source = source;
        this.errorFile = errorFile;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /** A worker for {@code source}: an idle healthy one, or a new one. */
    static TskWorkerClient start(ByteSource source) throws IOException {
        synchronized (IDLE) {
            while (!IDLE.isEmpty()) {
                TskWorkerClient w = IDLE.pop();
                synchronized (w) {
                    if (w.dead == null && w.process.isAlive()) {
                        w.source = source;
                        w.refs = 0;
                        return w;
                    }
                }
            }
        }
        return launch(source);
    }

    /** Starts a worker JVM with this JVM's class path. */
    private static TskWorkerClient launch(ByteSource source) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + tmp.resolve("vestige-tsk-worker-%p.log"),
                "-cp", System.getProperty("java.class.path"), TskWorker.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // libtsk's own warnings go nowhere unless someone debugging the engine asks for them
        String log = System.getenv("VESTIGE_TSK_WORKER_LOG");
        pb.redirectError(log == null || log.isBlank() ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.appendTo(new java.io.File(log)));
        Process p = pb.start();
        return new TskWorkerClient(p, source, tmp.resolve("vestige-tsk-worker-" + p.pid() + ".log"));
    }

    /** True when TSK recognises a pool or file system at the start of the source. */
    boolean probe(String libPath) throws IOException {
        return call(TskWire.OP_PROBE, o -> {
            TskWire.str(o, libPath);
            o.writeLong(source.size());
        }, DataInputStream::readBoolean);
    }

    /** The volume system TSK finds at the start of the source, or {@code null}. */
    TskVsInfo volumeSystem(String libPath, ParseLimits limits) throws IOException {
        return call(TskWire.OP_VOLUME_SYSTEM, o -> {
            TskWire.str(o, libPath);
            o.writeLong(source.size());
            o.writeLong(limits.maxTableEntries());
        }, r -> TskWire.vs(r, limits.maxTableEntries()));
    }

    /** Opens the pool volumes or the file system at the start of the source. */
    Opened open(String libPath) throws IOException {
        return call(TskWire.OP_OPEN, o -> {
            TskWire.str(o, libPath);
            o.writeLong(source.size());
        }, this::readOpened);
    }

    /** Opens host image files with TSK's own readers (raw, split, E01) and everything on them. */
    Opened openFiles(String libPath, List<Path> segments, ParseLimits limits) throws IOException {
        return call(TskWire.OP_OPEN_FILES, o -> {
            TskWire.str(o, libPath);
            o.writeInt(segments.size());
            for (Path p : segments) {
                TskWire.str(o, p.toAbsolutePath().toString());
            }
            o.writeLong(limits.maxTableEntries());
        }, this::readOpened);
    }

    private Opened readOpened(DataInputStream r) throws IOException {
        String version = TskWire.str(r);
        int nw = r.readInt();
        if (nw < 0 || nw > 100_000) {
            throw new IOException("TSK worker protocol: " + nw + " warnings");
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < nw; i++) {
            warnings.add(TskWire.str(r));
        }
        int n = r.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("TSK worker protocol: " + n + " file systems");
        }
        List<RemoteFs> fss = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = r.readInt();
            TskFsInfo info = TskWire.info(r);
            String tskType = TskWire.str(r);
            TskPoolVolumeInfo vol = TskWire.volume(r);
            String vsLayer = TskWire.str(r);
            String vsDetail = TskWire.str(r);
            boolean pooled = r.readBoolean();
            fss.add(new RemoteFs(id, info, tskType, vol, vsLayer, vsDetail, pooled));
            refs++;
        }
        return new Opened(version, fss, warnings);
    }

    private synchronized <T> T call(int op, Args args, Reply<T> reply) throws IOException {
        if (dead != null) {
            throw new TskException("TSK worker", -1, dead);
        }
        IOException remote;
        try {
            out.writeInt(op);
            args.write(out);
            out.flush();
            while (true) {
                int kind = in.readInt();
                if (kind == TskWire.READ_REQUEST) {
                    serveRead(in.readLong(), in.readInt());
                } else if (kind == TskWire.REPLY_OK) {
                    return reply.read(in);
                } else if (kind == TskWire.REPLY_ERROR) {
                    remote = TskWire.readError(in);
                    break;
                } else {
                    throw new IOException("TSK worker protocol: unexpected frame " + kind);
                }
            }
        } catch (IOException e) {
            // the pipe broke or carried nonsense: the worker crashed, or it can no longer be trusted
            if (!workerEnded()) {
                dead = "TSK worker protocol error (" + e.getMessage() + "); worker stopped";
                process.destroyForcibly();
            }
            throw new TskException("TSK worker", -1, dead, e);
        }
        throw remote;
    }

    /** After an I/O failure on the pipe: did the worker die? Records why. */
    private boolean workerEnded() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
        int code = process.exitValue();
        // HotSpot ends with exit code 1 (not a signal) when core dumps are off, so the crash report
        // the worker JVM writes is the reliable sign that native code faulted
        String frame = crashFrame();
        String why;
        if (frame != null || code > 128) {
            why = "libtsk crashed on this image (worker exit code " + code
                    + (frame == null ? "" : ", in " + frame) + "); Vestige continues without the TSK engine for it"
                    + (java.nio.file.Files.exists(errorFile) ? " (crash report: " + errorFile + ")" : "");
        } else {
            why = "the TSK worker ended unexpectedly (exit code " + code + ")";
        }
        dead = why;
        return true;
    }

    /** The faulting frame from the worker's crash report, or {@code null} when there is none. */
    private String crashFrame() {
        try {
            if (!java.nio.file.Files.exists(errorFile)) {
                return null;
            }
            try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(errorFile,
                    java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String line;
                boolean next = false;
                for (int i = 0; i < 200 && (line = r.readLine()) != null; i++) {
                    if (next) {
                        return line.replaceFirst("^#\\s*", "").replaceAll("\\s+", " ").trim();
                    }
                    next = line.startsWith("# Problematic frame:");
                }
            }
            return "native code";
        } catch (IOException e) {
            return "native code";
        }
    }

    private void serveRead(long offset, int len) throws IOException {
        byte[] b;
        String error = null;
        try {
            if (source == null) {
                throw new IOException("no byte source for this worker");
            }
            if (len < 0 || len > TskWire.MAX_BYTES || offset < 0) {
                throw new IOException("bad read request " + offset + "+" + len);
            }
            ByteBuffer bb = ByteBuffer.allocate((int) Math.max(0, Math.min(len, source.size() - Math.min(offset, source.size()))));
            long pos = offset;
            while (bb.hasRemaining()) {
                int n = source.read(pos, bb);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            b = java.util.Arrays.copyOf(bb.array(), bb.position());
        } catch (IOException | RuntimeException e) {
            b = null;
            error = String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        out.writeInt(TskWire.OP_READ_DATA);
        if (b == null) {
            out.writeInt(-1);
            TskWire.str(out, error);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
    }

    private synchronized void release() {
        if (--refs <= 0) {
            shutdown();
        }
    }

    /**
     * Done with this image: a healthy worker forgets it and waits for the next one (up to
     * {@value #MAX_IDLE} idle workers), any other is ended.
     */
    synchronized void shutdown() {
        if (dead == null && process.isAlive()) {
            try {
                call(TskWire.OP_RESET, o -> { }, r -> null);
                source = null;
                synchronized (IDLE) {
                    if (IDLE.size() < MAX_IDLE) {
                        IDLE.push(this);
                        return;
                    }
                }
            } catch (IOException e) {
                // not reusable: end it below
            }
        }
        quit();
    }

    /** Ends the worker (politely, then forcibly). */
    private synchronized void quit() {
        if (dead == null) {
            try {
                out.writeInt(TskWire.OP_QUIT);
                out.flush();
            } catch (IOException ignored) {
                // already gone
            }
            dead = "the TSK worker was closed";
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** One file system served by the worker. */
    final class RemoteFs implements TskFsHandle {
        private final int id;
        private final TskFsInfo info;
        private final String tskTypeName;
        private final TskPoolVolumeInfo volume;
        final String vsLayer;
        final String vsDetail;
        final boolean pooled;
        private boolean closed;

        RemoteFs(int id, TskFsInfo info, String tskTypeName, TskPoolVolumeInfo volume, String vsLayer, String vsDetail,
                 boolean pooled) {
            this.id = id;
            this.info = info;
            this.tskTypeName = tskTypeName;
            this.volume = volume;
            this.vsLayer = vsLayer;
            this.vsDetail = vsDetail;
            this.pooled = pooled;
        }

        @Override
        public TskFsInfo info() {
            return info;
        }

        @Override
        public String tskTypeName() {
            return tskTypeName;
        }

        @Override
        public TskPoolVolumeInfo poolVolume() {
            return volume;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("TSK file system is closed");
            }
        }

        @Override
        public TskFsMeta stat(long inum, ParseLimits limits) throws IOException {
            checkOpen();
            TskFsMeta m = call(TskWire.OP_STAT, o -> {
                o.writeInt(id);
                o.writeLong(inum);
                o.writeInt(limits.maxNameLength());
            }, TskWire::meta);
            if (m == null) {
                throw new TskException("TSK_FS_FILE", -1, "inode " + inum + " has no metadata");
            }
            return m;
        }

        @Override
        public List<TskFs.Child> list(long inum, ParseLimits limits) throws IOException {
            checkOpen();
            return call(TskWire.OP_LIST, o -> {
                o.writeInt(id);
                o.writeLong(inum);
                o.writeLong(limits.maxDirectoryEntries());
                o.writeInt(limits.maxNameLength());
            }, r -> {
                int n = r.readInt();
                if (n < 0 || n > limits.maxDirectoryEntries()) {
                    throw new IOException("TSK worker protocol: " + n + " entries");
                }
                List<TskFs.Child> kids = new ArrayList<>(Math.min(n, 4096));
                for (int i = 0; i < n; i++) {
                    TskFsName name = TskWire.name(r);
                    kids.add(new TskFs.Child(name, TskWire.meta(r)));
                }
                return kids;
            });
        }

        @Override
        public int read(long inum, long offset, ByteBuffer dst) throws IOException {
            checkOpen();
            int want = Math.min(dst.remaining(), TskFs.MAX_READ);
            if (want == 0) {
                return 0;
            }
            byte[] b = call(TskWire.OP_READ, o -> {
                o.writeInt(id);
                o.writeLong(inum);
                o.writeLong(offset);
                o.writeInt(want);
            }, r -> TskWire.bytes(r, r.readInt()));
            if (b.length > want) {
                throw new TskException("tsk_fs_file_read inode " + inum, offset, "worker returned too many bytes");
            }
            dst.put(b);
            return b.length;
        }

        @Override
        public List<TskFsAttr> attributes(long inum, ParseLimits limits) throws IOException {
            checkOpen();
            return call(TskWire.OP_ATTRS, o -> {
                o.writeInt(id);
                o.writeLong(inum);
                o.writeInt(limits.maxNameLength());
            }, r -> {
                int n = r.readInt();
                if (n < 0 || n > TskFs.MAX_ATTRIBUTES) {
                    throw new IOException("TSK worker protocol: " + n + " attributes");
                }
                List<TskFsAttr> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(TskWire.attr(r));
                }
                return out;
            });
        }

        @Override
        public byte[] readAttribute(long inum, int idx, ParseLimits limits) throws IOException {
            checkOpen();
            return call(TskWire.OP_READ_ATTR, o -> {
                o.writeInt(id);
                o.writeLong(inum);
                o.writeInt(idx);
                o.writeLong(limits.maxXattrSize());
                o.writeInt(limits.maxNameLength());
            }, r -> TskWire.bytes(r, r.readInt()));
        }

        @Override
        public long defaultAttributeSize(long inum) throws IOException {
            checkOpen();
            return call(TskWire.OP_DEFAULT_ATTR_SIZE, o -> {
                o.writeInt(id);
                o.writeLong(inum);
            }, DataInputStream::readLong);
        }

        @Override
        public void close() {
            synchronized (TskWorkerClient.this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (dead == null) {
                    try {
                        call(TskWire.OP_CLOSE_FS, o -> o.writeInt(id), r -> null);
                    } catch (IOException ignored) {
                        // the worker is going away anyway
                    }
                }
                release();
            }
        }
    }
}
