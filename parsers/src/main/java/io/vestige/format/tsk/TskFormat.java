package io.vestige.format.tsk;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileSystemFormat;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sleuth Kit as a second file-system engine. Probes by letting TSK try to open the source
 * (through {@code tsk_img_open_external}, so any media Vestige decodes works): first as a pool
 * (APFS container; one file system per volume), then as a plain file system. Registered last among
 * the file-system probes, it reads what Vestige has no native reader for (HFS+, NTFS, ext2/3/4, FAT,
 * exFAT, ISO 9660, UFS); with setting {@code engine=tsk} the opener puts it first
 * ({@link #preferringTsk}). Without libtsk the probe answers no and the engine stays silent.
 */
public final class TskFormat implements FileSystemFormat {
    private final String libPath;
    private final boolean isolate;
    /** True when TSK is the preferred engine ({@code engine=tsk}): then it is probed before partition maps too. */
    private boolean preferredEngine;

    /** The system libtsk, run in an isolated worker process. */
    public TskFormat() {
        this(null, true);
    }

    /** Uses settings {@code tsk.lib} (library path) and {@code tsk.isolate} ({@code false}: run libtsk in this JVM). */
    public TskFormat(OpenOptions options) {
        this(options == null ? null : options.setting("tsk.lib"),
                options == null || !"false".equalsIgnoreCase(options.setting("tsk.isolate")));
    }

    public TskFormat(String libPath) {
        this(libPath, true);
    }

    /**
     * @param libPath libtsk to load, or {@code null} for the system one
     * @param isolate run libtsk in a child JVM ({@link TskWorker}) so that a crash of its C code on a
     *                hostile image cannot end this one; {@code false} calls it in-process (faster, for
     *                trusted images and tests)
     */
    public TskFormat(String libPath, boolean isolate) {
        this.libPath = libPath;
        this.isolate = isolate;
    }

    @Override
    public boolean fallback() {
        return !preferredEngine;
    }

    @Override
    public String name() {
        return "tsk";
    }

    /** True when setting {@code engine} asks for TSK everywhere. */
    public static boolean preferred(OpenOptions options) {
        return options != null && "tsk".equalsIgnoreCase(options.setting("engine"));
    }

    /** The registry with TSK as the first file-system and volume-system probe (for {@code engine=tsk}). */
    public static ProbeRegistry preferringTsk(ProbeRegistry base, OpenOptions options) {
        List<FileSystemFormat> fs = new ArrayList<>();
        TskFormat first = new TskFormat(options);
        first.preferredEngine = true;
        fs.add(first);
        for (FileSystemFormat f : base.fileSystems()) {
            if (!(f instanceof TskFormat)) {
                fs.add(f);
            }
        }
        List<io.vestige.evidence.VolumeSystemFormat> vs = new ArrayList<>();
        vs.add(new TskVolumeSystemFormat(options == null ? null : options.setting("tsk.lib"),
                options == null || !"false".equalsIgnoreCase(options.setting("tsk.isolate"))));
        for (io.vestige.evidence.VolumeSystemFormat v : base.volumeSystems()) {
            if (!(v instanceof TskVolumeSystemFormat)) {
                vs.add(v);
            }
        }
        return new ProbeRegistry(base.containers(), vs, fs);
    }

    /**
     * Never throws: TSK is the last probe, and a failure here (no libtsk, no worker JVM, unreadable
     * bytes) must not stop the opener from trying partition maps.
     */
    @Override
    public boolean probe(ByteSource source) {
        try {
            return probeOrFail(source);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean probeOrFail(ByteSource source) throws IOException {
        TskLibrary lib;
        try {
            lib = TskLibrary.load(libPath);
        } catch (TskUnavailableException e) {
            return false;
        }
        if (source.size() < 512) {
            return false;
        }
        if (isolate) {
            TskWorkerClient worker = TskWorkerClient.start(source);
            try {
                return worker.probe(libPath);
            } finally {
                worker.shutdown();
            }
        }
        try (TskImage img = lib.openImage(source)) {
            try (TskPool pool = img.openPool(0)) {
                return true;
            } catch (TskException notPool) {
                // not a pool: try a plain file system
            }
            try (TskFs fs = img.openFileSystem(0)) {
                return true;
            } catch (TskException notFs) {
                return false;
            }
        }
    }

    @Override
    public List<FileSystem> open(ByteSource source, EvidencePath parent, OpenOptions options) throws IOException {
        String lp = libPath != null ? libPath : options.setting("tsk.lib");
        TskLibrary lib = TskLibrary.load(lp);
        if (isolate && !"false".equalsIgnoreCase(options.setting("tsk.isolate"))) {
            return openIsolated(source, parent, options, lp);
        }
        try (TskImage img = lib.openImage(source)) {
            List<FileSystem> out = openAt(img, 0, parent, options);
            if (out == null) {
                throw img.lib.error("tsk_fs_open_img", 0, img.external);
            }
            return out;
        }
    }

    private static List<FileSystem> openIsolated(ByteSource source, EvidencePath parent, OpenOptions options,
                                                 String libPath) throws IOException {
        TskWorkerClient worker = TskWorkerClient.start(source);
        TskWorkerClient.Opened opened;
        try {
            opened = worker.open(libPath);
        } catch (IOException | RuntimeException e) {
            worker.shutdown();
            throw e;
        }
        return place(worker, opened, parent, options);
    }

    private static List<FileSystem> place(TskWorkerClient worker, TskWorkerClient.Opened opened, EvidencePath parent,
                                          OpenOptions options) throws IOException {
        for (String w : opened.warnings()) {
            options.diagnostics().add(Diagnostic.warning(parent.toString(), "tsk", -1, w));
        }
        if (opened.fileSystems().isEmpty()) {
            worker.shutdown();
            throw new TskException("TSK", 0, "no file system could be opened" + (opened.warnings().isEmpty() ? ""
                    : ": " + opened.warnings().get(0)));
        }
        List<FileSystem> out = new ArrayList<>();
        for (TskWorkerClient.RemoteFs fs : opened.fileSystems()) {
            EvidencePath at = parent;
            if (fs.vsLayer != null) {
                at = at.then(fs.vsLayer, fs.vsDetail);
            }
            if (fs.pooled) {
                at = at.then("tsk-pool", "apfs");
            }
            String label = fs.poolVolume() == null ? null : fs.poolVolume().desc();
            out.add(new TskFileSystem(fs, label, at, options, opened.version()));
        }
        return out;
    }

    /**
     * Opens host image files with TSK's own image readers (raw, split raw, E01) and everything on
     * them: a pool or file system at offset 0, else each allocated partition of the volume system.
     * Isolated in a worker unless setting {@code tsk.isolate=false}.
     */
    public static List<FileSystem> openImageFiles(List<Path> segments, OpenOptions options) throws IOException {
        TskLibrary lib = TskLibrary.load(options);
        EvidencePath root = EvidencePath.ofFile(String.valueOf(segments.get(0).getFileName()));
        if (!"false".equalsIgnoreCase(options.setting("tsk.isolate"))) {
            TskWorkerClient worker = TskWorkerClient.start(null);
            TskWorkerClient.Opened opened;
            try {
                opened = worker.openFiles(options.setting("tsk.lib"), segments, options.limits());
            } catch (IOException | RuntimeException e) {
                worker.shutdown();
                throw e;
            }
            return place(worker, opened, root, options);
        }
        try (TskImage img = lib.openImage(segments)) {
            List<FileSystem> out = openAt(img, 0, root, options);
            if (out != null) {
                return out;
            }
            TskVsInfo vs = img.volumeSystem(0, options.limits());
            if (vs == null) {
                throw new TskException("TSK image " + img.describe(), 0,
                        "no file system, pool or volume system recognised by TSK " + lib.version());
            }
            List<FileSystem> all = new ArrayList<>();
            for (TskVsPartInfo p : vs.parts()) {
                if (!p.allocated()) {
                    continue;
                }
                long off = Math.multiplyExact(p.start(), vs.blockSize());
                EvidencePath at = root.then(vs.typeName(), "#" + p.addr() + " @ " + off);
                try {
                    List<FileSystem> got = openAt(img, off, at, options);
                    if (got == null) {
                        options.diagnostics().add(Diagnostic.info(at.toString(), "tsk", off,
                                "partition \"" + p.desc() + "\": no file system recognised by TSK"));
                    } else {
                        all.addAll(got);
                    }
                } catch (IOException e) {
                    options.diagnostics().add(Diagnostic.error(at.toString(), "tsk", off, e.getMessage()));
                }
            }
            return all;
        }
    }

    /**
     * The pool volumes or the file system at {@code offset}, or {@code null} when TSK recognises
     * neither. Each returned file system holds its own reference to the image.
     */
    static List<FileSystem> openAt(TskImage img, long offset, EvidencePath parent, OpenOptions options)
            throws IOException {
        List<FileSystem> out = new ArrayList<>();
        TskPool pool = null;
        try {
            pool = img.openPool(offset);
        } catch (TskException notPool) {
            // not an APFS container (or TSK cannot read it): fall through to a plain file system
        }
        if (pool != null) {
            try {
                EvidencePath poolPath = parent.then("tsk-pool", "apfs");
                for (TskPoolVolumeInfo v : pool.volumes()) {
                    if (v.encrypted()) {
                        options.diagnostics().add(Diagnostic.warning(poolPath.toString(), "TSK_POOL_VOLUME_INFO",
                                v.block(), "volume \"" + v.desc() + "\" is encrypted; not opened by the TSK engine"));
                        continue;
                    }
                    try {
                        TskFs fs = pool.openFileSystem(v);
                        out.add(new TskFileSystem(fs, v.desc(), poolPath, options, img.lib.version()));
                    } catch (TskException e) {
                        options.diagnostics().add(Diagnostic.of(poolPath.toString(), e, Diagnostic.Severity.ERROR));
                    }
                }
                return out;
            } finally {
                pool.close();
            }
        }
        TskFs fs;
        try {
            fs = img.openFileSystem(offset);
        } catch (TskException notFs) {
            return null;
        }
        out.add(new TskFileSystem(fs, null, parent, options, img.lib.version()));
        return out;
    }
}
