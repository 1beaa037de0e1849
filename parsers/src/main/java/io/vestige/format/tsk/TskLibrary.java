package io.vestige.format.tsk;

import com.sun.jna.CallbackReference;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Sleuth Kit's C library ({@code libtsk}) bound through JNA, with no C code to compile and no
 * case database. Loads the library from the system path ({@code libtsk.so.19}, {@code libtsk.so},
 * {@code libtsk.dylib}) or from the {@code tsk.lib} setting, checks its version and, by behaviour,
 * the layout of {@code TSK_IMG_INFO}, and opens images from host files or from any Vestige
 * {@link ByteSource} through {@code tsk_img_open_external}.
 *
 * <p>Structures are read at offsets taken from the 4.11.1 headers for LP64 (x86_64, arm64); the
 * structures used are byte-identical from 4.10.0 to 4.12.1, so those versions are accepted and
 * 4.13 (whose image and volume headers changed) is refused.
 */
public final class TskLibrary {
    /** What to tell a user whose machine lacks a usable libtsk. */
    public static final String INSTALL_HINT =
            "install Debian package libtsk19 (or Homebrew sleuthkit), or pass --tsk-lib PATH";

    /** Oldest and newest {@code major.minor} whose headers were checked against the offsets used here. */
    static final int MIN_VERSION = 410;
    static final int MAX_VERSION = 412;

    private static final List<String> SYSTEM_NAMES = List.of("libtsk.so.19", "tsk", "libtsk.so",
            "/usr/lib/x86_64-linux-gnu/libtsk.so.19", "/usr/lib/aarch64-linux-gnu/libtsk.so.19",
            "/opt/homebrew/lib/libtsk.dylib", "/usr/local/lib/libtsk.dylib");

    private static final Map<String, TskLibrary> LOADED = new ConcurrentHashMap<>();

    /** Images opened from ByteSources, by the address of their TSK_IMG_INFO. */
    private static final Map<Long, External> EXTERNAL = new ConcurrentHashMap<>();

    // One set of callbacks for every external image: JNA keeps a native trampoline per callback
    // object, and static fields keep them reachable for as long as native code may call them.
    private static final TskNative.ReadCallback READ = TskLibrary::onRead;
    private static final TskNative.CloseCallback CLOSE = img -> {
        // the memory behind an external TSK_IMG_INFO is owned and freed by TskImage
    };
    private static final TskNative.ImgStatCallback IMGSTAT = (img, file) -> {
        // img_stat is never called by Vestige
    };

    final TskNative n;
    private final String version;
    private final String loadedFrom;
    private final int imgInfoReadOffset;

    private TskLibrary(TskNative n, String version, String loadedFrom, int imgInfoReadOffset) {
        this.n = n;
        this.version = version;
        this.loadedFrom = loadedFrom;
        this.imgInfoReadOffset = imgInfoReadOffset;
    }

    /** Loads libtsk as the options say ({@code tsk.lib}), or from the system path. */
    public static TskLibrary load(OpenOptions options) throws TskUnavailableException {
        return load(options == null ? null : options.setting("tsk.lib"));
    }

    /**
     * Loads libtsk from {@code libPath} (a file, or a name the dynamic linker resolves), or from the
     * system path when {@code null}. Loaded libraries are kept for the life of the JVM.
     */
    public static TskLibrary load(String libPath) throws TskUnavailableException {
        List<String> candidates = libPath == null || libPath.isBlank() ? SYSTEM_NAMES : List.of(libPath);
        List<String> failures = new ArrayList<>();
        for (String c : candidates) {
            TskLibrary cached = LOADED.get(c);
            if (cached != null) {
                return cached;
            }
            try {
                TskLibrary lib = open(c);
                LOADED.put(c, lib);
                return lib;
            } catch (UnsatisfiedLinkError e) {
                failures.add(c + ": " + firstLine(e.getMessage()));
            } catch (TskUnavailableException e) {
                // a library was found but is unusable: that is the answer, do not hide it behind others
                throw e;
            }
        }
        throw new TskUnavailableException("The Sleuth Kit library (libtsk) could not be loaded ("
                + String.join("; ", failures) + "); " + INSTALL_HINT);
    }

    /** True when {@link #load(String)} would succeed. */
    public static boolean isAvailable(String libPath) {
        try {
            load(libPath);
            return true;
        } catch (TskUnavailableException e) {
            return false;
        }
    }

    private static synchronized TskLibrary open(String name) throws TskUnavailableException {
        TskLibrary cached = LOADED.get(name);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put(Library.OPTION_STRING_ENCODING, "UTF-8");
        NativeLibrary nl = NativeLibrary.getInstance(name, opts);
        List<String> missing = new ArrayList<>();
        for (Method m : TskNative.class.getDeclaredMethods()) {
            try {
                nl.getFunction(m.getName());
            } catch (UnsatisfiedLinkError e) {
                missing.add(m.getName());
            }
        }
        String where = nl.getFile() == null ? name : nl.getFile().toString();
        if (!missing.isEmpty()) {
            throw new TskUnavailableException("libtsk at " + where + " lacks " + missing
                    + " (The Sleuth Kit 4.10-4.12 expected); " + INSTALL_HINT);
        }
        TskNative n = Native.load(name, TskNative.class, opts);
        String version = n.tsk_version_get_str();
        int v = parseVersion(version);
        if (v < MIN_VERSION || v > MAX_VERSION) {
            throw new TskUnavailableException("libtsk at " + where + " is version " + version
                    + "; Vestige's binding is verified for The Sleuth Kit 4.10 to 4.12 only; " + INSTALL_HINT);
        }
        int readOffset = probeImgInfoLayout(n, where);
        return new TskLibrary(n, version, where, readOffset);
    }

    /** {@code "4.11.1"} → 411; -1 when unparsable. */
    static int parseVersion(String s) {
        if (s == null) {
            return -1;
        }
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(s.trim());
        if (!m.find()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Finds where {@code tsk_img_open_external} stores the read callback in TSK_IMG_INFO. That
     * offset depends on how the library was built ({@code tsk_lock_t} is a pthread mutex or a
     * pointer), so instead of guessing we let the library fill a zeroed scratch structure and look.
     */
    private static int probeImgInfoLayout(TskNative n, String where) throws TskUnavailableException {
        int size = TskImgInfo.OFF_READ_PTHREAD + 3 * Native.POINTER_SIZE + 64;
        try (Memory scratch = new Memory(size)) {
            scratch.clear();
            n.tsk_error_reset();
            Pointer img = n.tsk_img_open_external(scratch, 4096, 512, READ, CLOSE, IMGSTAT);
            if (img == null) {
                throw new TskUnavailableException("libtsk at " + where + ": tsk_img_open_external failed: "
                        + n.tsk_error_get() + "; " + INSTALL_HINT);
            }
            long readFn = Pointer.nativeValue(CallbackReference.getFunctionPointer(READ));
            TskImgInfo info = TskImgInfo.read(scratch);
            if (info.tag() != TskImgInfo.TAG || info.itype() != TskImgInfo.TYPE_EXTERNAL || info.size() != 4096
                    || info.sectorSize() != 512) {
                throw new TskUnavailableException("libtsk at " + where
                        + ": TSK_IMG_INFO layout differs from The Sleuth Kit 4.11 headers (" + info + "); " + INSTALL_HINT);
            }
            int found = -1;
            for (int off : new int[] {TskImgInfo.OFF_READ_PTHREAD, TskImgInfo.OFF_READ_NOTHREAD}) {
                if (scratch.getLong(off) == readFn) {
                    found = off;
                    break;
                }
            }
            n.tsk_img_close(scratch);
            if (found < 0) {
                throw new TskUnavailableException("libtsk at " + where
                        + ": the read callback is not where The Sleuth Kit 4.11 headers put it; " + INSTALL_HINT);
            }
            return found;
        }
    }

    /** The version string the library reports ({@code tsk_version_get_str}), e.g. {@code 4.11.1}. */
    public String version() {
        return version;
    }

    /** The file the library was loaded from. */
    public String loadedFrom() {
        return loadedFrom;
    }

    /** Byte offset of the {@code read} pointer in TSK_IMG_INFO for this build (tests check it). */
    int imgInfoReadOffset() {
        return imgInfoReadOffset;
    }

    /** Bytes to allocate for an external TSK_IMG_INFO: up to and including {@code imgstat}. */
    int imgInfoSize() {
        return imgInfoReadOffset + 3 * Native.POINTER_SIZE;
    }

    /**
     * Opens image files with TSK's own readers (raw, split raw, E01 through TSK's libewf),
     * detecting the type. Split images are given in segment order.
     */
    public TskImage openImage(List<Path> segments) throws IOException {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no image files");
        }
        String[] names = new String[segments.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = segments.get(i).toString();
        }
        n.tsk_error_reset();
        Pointer img = n.tsk_img_open_utf8(names.length, names, TskImgInfo.TYPE_DETECT, 0);
        if (img == null) {
            throw error("tsk_img_open " + segments.get(0).getFileName(), -1, null);
        }
        return new TskImage(this, img, null, null, segments.get(0).getFileName().toString());
    }

    /**
     * Opens any Vestige byte source (a DMG's media, a partition slice, a decrypted volume) as a TSK
     * image: TSK reads it through a callback, so everything Vestige decodes TSK can read too.
     */
    public TskImage openImage(ByteSource source) throws IOException {
        Memory mem = new Memory(imgInfoSize());
        mem.clear();
        External ext = new External(source);
        ext.lib = this;
        EXTERNAL.put(Pointer.nativeValue(mem), ext);
        boolean ok = false;
        try {
            n.tsk_error_reset();
            Pointer img = n.tsk_img_open_external(mem, source.size(), 512, READ, CLOSE, IMGSTAT);
            if (img == null) {
                throw error("tsk_img_open_external", -1, null);
            }
            ok = true;
            return new TskImage(this, img, mem, ext, source.describe());
        } finally {
            if (!ok) {
                EXTERNAL.remove(Pointer.nativeValue(mem));
                mem.close();
            }
        }
    }

    /** Forgets an external image whose TSK_IMG_INFO is being freed. */
    static void forgetExternal(Pointer mem) {
        EXTERNAL.remove(Pointer.nativeValue(mem));
    }

    /** The exception for a failed call, with TSK's message (and a Java cause raised in a callback). */
    TskException error(String call, long offset, External ext) {
        String msg = n.tsk_error_get();
        Throwable cause = ext == null ? null : ext.takeError();
        String detail = msg == null || msg.isBlank() ? "failed (TSK gave no message)" : msg.trim().replaceAll("\\s+", " ");
        if (cause != null) {
            detail += " (read error: " + cause.getMessage() + ")";
        }
        return new TskException("TSK " + call, offset, detail, cause);
    }

    /** A NUL-terminated UTF-8 string owned by TSK, cut at {@code max} bytes. */
    static String cString(Pointer p, int max) {
        long len = 0;
        // bounded scan: a corrupt pointer to a long run of non-NUL bytes must not run away
        while (len < max && p.getByte(len) != 0) {
            len++;
        }
        return new String(p.getByteArray(0, (int) len), StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /**
     * TSK's read callback over a ByteSource. It must never let a Java exception reach native code:
     * failures are remembered for the Java caller and reported to TSK as -1 with an error string.
     */
    private static long onRead(Pointer img, long offset, Pointer buf, long len) {
        External ext = EXTERNAL.get(Pointer.nativeValue(img));
        if (ext == null) {
            return -1;
        }
        try {
            if (offset < 0 || len < 0 || buf == null) {
                throw new IOException("bad read request offset " + offset + " length " + len);
            }
            long size = ext.source.size();
            if (offset >= size) {
                return 0;
            }
            int want = (int) Math.min(Math.min(len, size - offset), Integer.MAX_VALUE);
            ByteBuffer bb = buf.getByteBuffer(0, want);
            long done = 0;
            while (bb.hasRemaining()) {
                int r = ext.source.read(offset + done, bb);
                if (r <= 0) {
                    break;
                }
                done += r;
            }
            return done;
        } catch (Throwable t) {
            ext.error = t;
            try {
                TskLibrary lib = ext.lib;
                if (lib != null) {
                    lib.n.tsk_error_reset();
                    lib.n.tsk_error_set_errno(0x02000007); // TSK_ERR_IMG_READ
                    lib.n.tsk_error_set_errstr("%s", "read callback: " + t);
                }
            } catch (Throwable ignored) {
                // never propagate into native code
            }
            return -1;
        }
    }

    /** State of one image read through the callback. */
    static final class External {
        final ByteSource source;
        volatile TskLibrary lib;
        volatile Throwable error;

        External(ByteSource source) {
            this.source = source;
        }

        Throwable takeError() {
            Throwable t = error;
            error = null;
            return t;
        }
    }
}
