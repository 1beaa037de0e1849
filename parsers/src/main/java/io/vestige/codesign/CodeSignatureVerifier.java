package io.vestige.codesign;

import io.vestige.codesign.CodeSignResult.NotarizationResult;
import io.vestige.codesign.CodeSignResult.SliceResult;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.Paths;
import io.vestige.format.macho.LoadCommand;
import io.vestige.format.macho.MachOFile;
import io.vestige.format.macho.MachOSlice;
import io.vestige.io.ByteSource;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline verification of Apple code signatures: Mach-O files (thin or universal, every slice) and
 * bundles (Info.plist, {@code _CodeSignature/CodeResources}, resources, nested code). Results are
 * immutable records with typed problems; an invalid signature is a result, not an exception.
 * Malformed Mach-O structure raises a {@link ParseException}; a malformed signature is a problem.
 * Spec: FORMATS.md section 5.
 */
public final class CodeSignatureVerifier {
    private CodeSignatureVerifier() {
    }

    /** Verifies a lone Mach-O file (no bundle: Info.plist and CodeResources slots are not checkable, except an embedded {@code __info_plist}). */
    public static CodeSignResult verifyFile(ByteSource src, VerifyOptions opts) throws IOException {
        return verifyMachO(src, src.describe(), SignatureChecker.BundleContext.NONE, opts);
    }

    /** Same as {@link #verifyFile(ByteSource, VerifyOptions)} with a path for the result. */
    public static CodeSignResult verifyFile(ByteSource src, String path, VerifyOptions opts) throws IOException {
        return verifyMachO(src, path, SignatureChecker.BundleContext.NONE, opts);
    }

    /** Verifies a bundle ({@code .app}, {@code .framework}, {@code .xpc}, {@code .bundle} …) rooted at a directory entry. */
    public static CodeSignResult verifyBundle(FileEntry bundleRoot, VerifyOptions opts) throws IOException {
        return BundleVerifier.verify(bundleRoot, opts, 0);
    }

    /**
     * Verifies the code at {@code path} in a file system: a bundle directory as a bundle, the main
     * executable of a bundle ({@code X.app/Contents/MacOS/X}) as that bundle (so its Info.plist and
     * resources are checked), any other file as a lone Mach-O.
     */
    public static CodeSignResult verify(FileSystem fs, String path, VerifyOptions opts) throws IOException {
        String norm = Paths.normalize(path);
        FileEntry e = fs.lookup(norm);
        if (e == null) {
            throw new java.nio.file.NoSuchFileException(path);
        }
        if (e.isDirectory()) {
            return verifyBundle(e, opts);
        }
        String parent = Paths.parent(norm);
        if (Paths.name(parent).equals("MacOS") && Paths.name(Paths.parent(parent)).equals("Contents")) {
            FileEntry bundle = fs.lookup(Paths.parent(Paths.parent(parent)));
            if (bundle != null && bundle.isDirectory()) {
                String exe = BundleVerifier.mainExecutableName(bundle);
                if (e.name().equals(exe)) {
                    return verifyBundle(bundle, opts);
                }
            }
        }
        if (!BundleVerifier.isMachO(e)) {
            // scripts and other non-Mach-O code keep their signature in com.apple.cs.* extended attributes
            java.util.Map<String, byte[]> cs = BundleVerifier.csXattrs(e, opts);
            if (cs.containsKey("CodeDirectory")) {
                SliceResult s = BundleVerifier.xattrSigned(e, cs, SignatureChecker.BundleContext.NONE, opts);
                return new CodeSignResult(norm, "file-xattr", s.verdict(), s.problems(), List.of(s), null, List.of(),
                        notarization(null), List.of());
            }
            return new CodeSignResult(norm, "file", Verdict.UNSIGNED, List.of(), List.of(), null, List.of(), null,
                    List.of("not a Mach-O file and no com.apple.cs.* extended attributes"));
        }
        try (ByteSource src = e.content()) {
            return verifyFile(src, norm, opts);
        }
    }

    static CodeSignResult verifyMachO(ByteSource src, String path, SignatureChecker.BundleContext ctx, VerifyOptions opts)
            throws IOException {
        MachOFile file = MachOFile.parse(src, opts.limits());
        List<SliceResult> slices = new ArrayList<>();
        for (MachOSlice s : file.slices()) {
            slices.add(verifySlice(s, ctx, opts));
        }
        List<Problem> problems = new ArrayList<>();
        Verdict v = null;
        boolean anySigned = false;
        boolean anyUnsigned = false;
        for (SliceResult s : slices) {
            problems.addAll(s.problems());
            v = Verdict.worst(v, s.verdict());
            anySigned |= s.signed();
            anyUnsigned |= !s.signed();
        }
        if (anySigned && anyUnsigned) {
            problems.add(new Problem(ProblemType.SLICES_DISAGREE, "some slices are signed and others are not", ""));
            v = Verdict.INVALID;
        }
        // a universal binary is one program: its slices must name the same code and signer
        java.util.Set<String> ids = new java.util.TreeSet<>();
        java.util.Set<String> teams = new java.util.TreeSet<>();
        for (SliceResult s : slices) {
            if (s.signed() && s.identifier() != null) {
                ids.add(s.identifier());
                teams.add(String.valueOf(s.teamId()));
            }
        }
        if (ids.size() > 1 || teams.size() > 1) {
            problems.add(new Problem(ProblemType.SLICES_DISAGREE, "slices disagree on identifier " + ids + " or team " + teams,
                    ""));
            v = Verdict.INVALID;
        }
        boolean ticket = slices.stream().anyMatch(s -> s.notes().stream().anyMatch(n -> n.startsWith("notarization ticket")));
        NotarizationResult notarization = ticket
                ? new NotarizationResult("ticket-stapled", "SuperBlob slot 0x10002", null,
                "a notarization ticket is stapled in the signature; its Apple signature is not verified offline")
                : notarization(null);
        return new CodeSignResult(path, "mach-o", v, problems, slices, null, List.of(), notarization, List.of());
    }

    static SliceResult verifySlice(MachOSlice s, SignatureChecker.BundleContext ctx, VerifyOptions opts) throws IOException {
        String uuid = s.uuid().map(Object::toString).orElse(null);
        String build = s.buildVersion().map(b -> b.platformName() + " " + b.minOs() + " (sdk " + b.sdk() + ")")
                .orElse(s.versionMin().map(m -> m.platformName() + " " + m.version() + " (sdk " + m.sdk() + ")").orElse(null));
        List<String> dylibs = s.dylibs().stream().map(LoadCommand.Dylib::path).toList();
        long size = s.source().size();
        var sig = s.codeSignature();
        if (sig.isEmpty()) {
            return new SliceResult(s.arch(), uuid, s.fileOffset(), size, Verdict.UNSIGNED, false, null, null, null,
                    List.of(), List.of(), List.of(), null, null, null, List.of(), null, null, List.of(), build, dylibs,
                    List.of(), null);
        }
        long off = sig.get().dataOff();
        long len = sig.get().dataSize();
        SignatureChecker.CodeInfo info = new SignatureChecker.CodeInfo(s.arch(), uuid, s.fileOffset(), size, s.source(), off,
                build, dylibs);
        SignatureChecker.Components comp;
        try {
            if (off > size || len > size - off) {
                throw new MalformedException("LC_CODE_SIGNATURE", s.fileOffset() + sig.get().offset(), "signature ["
                        + off + ", +" + len + ") lies outside the slice of " + size + " bytes");
            }
            opts.limits().check("maxMetadataSize", len, "LC_CODE_SIGNATURE datasize", s.fileOffset() + sig.get().offset());
            byte[] data = s.source().readBytes(off, (int) len);
            comp = SignatureChecker.fromSuperBlob(SuperBlob.parse(data, s.fileOffset() + off, opts.limits()));
        } catch (ParseException e) {
            return new SliceResult(s.arch(), uuid, s.fileOffset(), size, Verdict.INVALID, true, null, null, null, List.of(),
                    List.of(new Problem(ProblemType.MALFORMED_SIGNATURE, e.getMessage(), s.arch())), List.of(), null, null,
                    null, List.of(), null, null, List.of(), build, dylibs, List.of(), null);
        }
        SignatureChecker.BundleContext c = ctx;
        if (ctx.infoPlist() == null) {
            byte[] embedded = embeddedInfoPlist(s, opts);
            if (embedded != null) {
                c = new SignatureChecker.BundleContext(embedded, ctx.codeResources(), "__TEXT,__info_plist");
            }
        }
        return SignatureChecker.check(comp, info, c, opts);
    }

    /** Command-line tools embed their Info.plist in {@code __TEXT,__info_plist}; slot -1 then binds that section. */
    private static byte[] embeddedInfoPlist(MachOSlice s, VerifyOptions opts) throws IOException {
        for (LoadCommand.Segment seg : s.segments()) {
            for (LoadCommand.Section sec : seg.sections()) {
                if (sec.sectName().equals("__info_plist") && sec.segName().equals("__TEXT")) {
                    if (sec.size() > opts.limits().maxMetadataSize() || sec.fileOffset() + sec.size() > s.source().size()) {
                        return null;
                    }
                    return s.source().readBytes(sec.fileOffset(), (int) sec.size());
                }
            }
        }
        return null;
    }

    /** Notarization facts for a bundle: a stapled ticket is {@code Contents/CodeResources}. */
    static NotarizationResult notarization(FileEntry ticket) {
        if (ticket != null && ticket.isFile()) {
            return new NotarizationResult("ticket-stapled", ticket.path(), ticket.size(),
                    "a notarization ticket is stapled; its Apple signature and its cdhash list are not verified offline");
        }
        return new NotarizationResult("not-determinable-offline", null, null,
                "no stapled ticket; whether Apple notarized this code can only be asked online");
    }

}
