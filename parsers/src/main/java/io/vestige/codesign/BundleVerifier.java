package io.vestige.codesign;

import io.vestige.codesign.CodeSignResult.BundleResult;
import io.vestige.codesign.CodeSignResult.SliceResult;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.format.plist.PropertyList;
import io.vestige.io.ByteSource;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Bundle verification: finds the bundle's layout (macOS {@code Contents/}, versioned framework,
 * shallow), binds Info.plist (slot -1) and {@code _CodeSignature/CodeResources} (slot -3), checks
 * every {@code files2} entry against the files present with the {@code rules2} regexes and weights,
 * and verifies nested code recursively (bounded depth). Spec: FORMATS.md 5.6.
 */
final class BundleVerifier {
    private static final int MAX_PLIST = 16 << 20;

    private BundleVerifier() {
    }

    /** Where the parts of a bundle live. */
    record Layout(FileEntry content, FileEntry infoPlist, String executableName, FileEntry executable,
                  String executableRel) {
    }

    /** The note on a folder that is not a bundle (and the CLI's error). */
    static final String NOT_A_BUNDLE = "a folder but not a bundle: no Info.plist or executable";

    static CodeSignResult verify(FileEntry root, VerifyOptions opts, int depth) throws IOException {
        Layout lay = layout(root, opts);
        if (!isBundle(lay)) {
            return new CodeSignResult(root.path(), "folder", Verdict.UNSIGNED, List.of(), List.of(), null, List.of(),
                    null, List.of(NOT_A_BUNDLE));
        }
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        byte[] info = lay.infoPlist() == null ? null : read(lay.infoPlist(), MAX_PLIST);
        String bundleId = null;
        if (info != null) {
            try {
                if (PropertyList.parse(info) instanceof Map<?, ?> m && m.get("CFBundleIdentifier") instanceof String s) {
                    bundleId = s;
                }
            } catch (ParseException e) {
                notes.add("Info.plist is not a readable property list: " + e.getMessage());
            }
        }
        FileEntry sigDir = child(lay.content(), "_CodeSignature");
        FileEntry crEntry = sigDir == null ? null : child(sigDir, "CodeResources");
        byte[] codeResources = crEntry != null && crEntry.isFile() ? read(crEntry, MAX_PLIST) : null;
        SignatureChecker.BundleContext ctx = new SignatureChecker.BundleContext(info, codeResources, "bundle");
        List<SliceResult> slices = new ArrayList<>();
        String kind = "bundle";
        Verdict v;
        Map<String, byte[]> exeXattrs = lay.executable() != null && lay.executable().isFile() && !isMachO(lay.executable())
                ? csXattrs(lay.executable(), opts) : Map.of();
        if (!exeXattrs.isEmpty() && exeXattrs.containsKey("CodeDirectory")) {
            kind = "bundle-script";
            SliceResult s = xattrSigned(lay.executable(), exeXattrs, ctx, opts);
            slices.add(s);
            problems.addAll(s.problems());
            v = s.verdict();
        } else if (lay.executable() != null && lay.executable().isFile() && !isMachO(lay.executable())) {
            notes.add("the main executable " + lay.executableRel() + " is not Mach-O and carries no com.apple.cs.* "
                    + "extended attributes");
            v = Verdict.UNSIGNED;
        } else if (lay.executable() != null && lay.executable().isFile()) {
            try (ByteSource src = lay.executable().content()) {
                CodeSignResult exe = CodeSignatureVerifier.verifyMachO(src, lay.executable().path(), ctx, opts);
                slices.addAll(exe.slices());
                problems.addAll(exe.problems());
                v = exe.verdict();
            }
        } else if (sigDir != null && child(sigDir, "CodeDirectory") != null) {
            kind = "bundle-detached";
            SliceResult s = detached(sigDir, lay.infoPlist(), ctx, opts);
            slices.add(s);
            problems.addAll(s.problems());
            v = s.verdict();
        } else {
            if (lay.executableName() != null && lay.executable() == null) {
                notes.add("Info.plist names the executable " + lay.executableName() + " but it is not in the bundle");
            }
            v = Verdict.UNSIGNED;
        }
        BundleResult bundle = null;
        List<CodeSignResult> nested = new ArrayList<>();
        if (codeResources != null && v != Verdict.UNSIGNED && opts.checkResources()) {
            bundle = resources(root, lay, crEntry, codeResources, bundleId, opts, depth, problems, nested, notes);
        } else if (v != Verdict.UNSIGNED) {
            bundle = new BundleResult(root.path(), lay.executableRel(), bundleId, crEntry == null ? null : crEntry.path(),
                    false, 0, List.of(), List.of(), List.of());
            if (codeResources == null) {
                notes.add("no _CodeSignature/CodeResources: resources are not sealed");
            }
        }
        v = SignatureChecker.verdict(problems, v != Verdict.ADHOC) == Verdict.INVALID ? Verdict.INVALID : v;
        FileEntry ticket = child(lay.content(), "CodeResources");
        return new CodeSignResult(root.path(), kind, v, problems, slices, bundle, nested,
                CodeSignatureVerifier.notarization(ticket), notes);
    }

    /** A resource-only bundle signed with the components as files in {@code _CodeSignature}. */
    private static SliceResult detached(FileEntry sigDir, FileEntry infoPlist, SignatureChecker.BundleContext ctx,
                                        VerifyOptions opts) throws IOException {
        int max = (int) Math.min(Integer.MAX_VALUE, opts.limits().maxMetadataSize());
        // without a main executable, Security hashes the Info.plist file as the bundle's "code" (code slots)
        ByteSource code = ctx.infoPlist() == null ? null : io.vestige.io.ByteSources.wrap(ctx.infoPlist(),
                infoPlist == null ? "Info.plist" : infoPlist.path());
        return detachedComponents(name -> {
            FileEntry f = child(sigDir, name);
            return f == null ? null : read(f, max);
        }, code, "none", ctx, opts);
    }

    /** Reads one named component of a detached signature, or returns {@code null}. */
    interface ComponentSource {
        byte[] get(String name) throws IOException;
    }

    /**
     * A signature stored as separate components (files in {@code _CodeSignature}, or the
     * {@code com.apple.cs.*} extended attributes of a script): CodeDirectory, CodeRequirements,
     * CodeRequirements-1… (alternate CodeDirectories, Security's canonical slot names),
     * CodeEntitlements and CodeSignature (raw CMS; empty or absent = ad hoc).
     */
    static SliceResult detachedComponents(ComponentSource src, ByteSource code, String label,
                                          SignatureChecker.BundleContext ctx, VerifyOptions opts) throws IOException {
        Map<Long, byte[]> blobs = new TreeMap<>();
        blobs.put(0L, src.get("CodeDirectory"));
        byte[] req = src.get("CodeRequirements");
        if (req != null) {
            blobs.put((long) CodeSigning.CSSLOT_REQUIREMENTS, req);
        }
        byte[] ent = src.get("CodeEntitlements");
        if (ent != null) {
            blobs.put((long) CodeSigning.CSSLOT_ENTITLEMENTS, ent);
        }
        for (int i = 1; i <= CodeSigning.CSSLOT_ALTERNATE_CODEDIRECTORY_MAX; i++) {
            byte[] alt = src.get("CodeRequirements-" + i);
            if (alt != null) {
                blobs.put((long) CodeSigning.CSSLOT_ALTERNATE_CODEDIRECTORIES + i - 1, alt);
            }
        }
        byte[] cms = src.get("CodeSignature");
        SignatureChecker.Components comp = new SignatureChecker.Components(blobs, cms, 0);
        SignatureChecker.CodeInfo info = new SignatureChecker.CodeInfo(label, null, 0, code == null ? 0 : code.size(), code,
                -1, null, List.of());
        return SignatureChecker.check(comp, info, ctx, opts);
    }

    /** The {@code com.apple.cs.*} extended attributes of a file (APFS names, or {@code user.}-prefixed on Linux), by component name. */
    static Map<String, byte[]> csXattrs(FileEntry f, VerifyOptions opts) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (io.vestige.evidence.Xattr x : f.xattrs()) {
            String n = x.name().startsWith("user.") ? x.name().substring(5) : x.name();
            if (n.startsWith("com.apple.cs.")) {
                opts.limits().check("maxMetadataSize", x.size(), "xattr " + x.name(), -1);
                out.put(n.substring("com.apple.cs.".length()), x.content().readBytes(0, (int) x.content().size()));
            }
        }
        return out;
    }

    /** Verifies a non-Mach-O file (a script) signed in its extended attributes, with an optional bundle context. */
    static SliceResult xattrSigned(FileEntry f, Map<String, byte[]> cs, SignatureChecker.BundleContext ctx,
                                   VerifyOptions opts) throws IOException {
        try (ByteSource code = f.content()) {
            return detachedComponents(cs::get, code, "none", ctx, opts);
        }
    }

    static boolean isMachO(FileEntry f) throws IOException {
        try (ByteSource src = f.content()) {
            return io.vestige.format.macho.MachOFile.probe(src.readAtMost(0, 8));
        }
    }

    static Layout layout(FileEntry root, VerifyOptions opts) throws IOException {
        FileEntry contents = child(root, "Contents");
        if (contents != null && contents.isDirectory()) {
            FileEntry info = child(contents, "Info.plist");
            String exe = executableName(info);
            FileEntry macos = child(contents, "MacOS");
            if (exe == null && macos != null) {
                // Info.plist unreadable or silent (e.g. damaged after signing): fall back to the bundle's
                // stem name, then to a lone file in MacOS/, so the signature is still examined
                exe = fallbackExecutable(root, macos);
            }
            FileEntry exeEntry = exe == null || macos == null ? null : child(macos, exe);
            return new Layout(contents, info, exe, exeEntry, exe == null ? null : "MacOS/" + exe);
        }
        FileEntry versions = child(root, "Versions");
        if (versions != null && versions.isDirectory()) {
            FileEntry current = child(versions, "Current");
            FileEntry ver = null;
            if (current != null && current.kind() == EntryKind.SYMLINK && current.linkTarget() != null) {
                String t = current.linkTarget();
                ver = t.contains("/") ? null : child(versions, t);
            } else if (current != null && current.isDirectory()) {
                ver = current;
            }
            if (ver == null) {
                for (FileEntry c : versions.children()) {
                    if (c.isDirectory()) {
                        ver = c;
                        break;
                    }
                }
            }
            if (ver != null) {
                FileEntry res = child(ver, "Resources");
                FileEntry info = res == null ? null : child(res, "Info.plist");
                String exe = executableName(info);
                return new Layout(ver, info, exe, exe == null ? null : child(ver, exe), exe);
            }
        }
        FileEntry info = child(root, "Info.plist");
        String exe = executableName(info);
        return new Layout(root, info, exe, exe == null ? null : child(root, exe), exe);
    }

    /**
     * A bundle has an Info.plist or a main executable; a {@code _CodeSignature} folder alone also
     * counts, so that a bundle stripped of both still shows what is left of its signature.
     */
    private static boolean isBundle(Layout lay) throws IOException {
        if (lay.infoPlist() != null && lay.infoPlist().isFile() || lay.executable() != null && lay.executable().isFile()) {
            return true;
        }
        FileEntry sig = child(lay.content(), "_CodeSignature");
        return sig != null && sig.isDirectory();
    }

    private static String fallbackExecutable(FileEntry root, FileEntry macos) throws IOException {
        String stem = root.name().contains(".") ? root.name().substring(0, root.name().lastIndexOf('.')) : root.name();
        FileEntry byStem = child(macos, stem);
        if (byStem != null && byStem.isFile()) {
            return stem;
        }
        FileEntry only = null;
        for (FileEntry c : macos.children()) {
            if (c.isFile()) {
                if (only != null) {
                    return null;
                }
                only = c;
            }
        }
        return only == null ? null : only.name();
    }

    /** CFBundleExecutable of a bundle (for {@link CodeSignatureVerifier#verify}); {@code null} when unknown. */
    static String mainExecutableName(FileEntry bundle) throws IOException {
        return layout(bundle, VerifyOptions.defaults()).executableName();
    }

    private static String executableName(FileEntry info) throws IOException {
        if (info == null || !info.isFile()) {
            return null;
        }
        byte[] b = read(info, MAX_PLIST);
        try {
            if (PropertyList.parse(b) instanceof Map<?, ?> m && m.get("CFBundleExecutable") instanceof String s
                    && !s.contains("/") && !s.isEmpty()) {
                return s;
            }
        } catch (ParseException e) {
            return null;
        }
        return null;
    }

    // ------------------------------------------------------------------ resources

    /** One rules2 entry. */
    record Rule(String regex, Pattern pattern, boolean omit, boolean optional, boolean nested, double weight) {
    }

    /** A file, symlink or nested bundle found in the bundle, keyed by its path relative to the content directory. */
    record Found(FileEntry entry, boolean nestedBundle) {
    }

    private static BundleResult resources(FileEntry root, Layout lay, FileEntry crEntry, byte[] codeResources,
                                          String bundleId, VerifyOptions opts, int depth, List<Problem> problems,
                                          List<CodeSignResult> nested, List<String> notes) throws IOException {
        try {
            return sealedResources(root, lay, crEntry, codeResources, bundleId, opts, depth, problems, nested, notes);
        } catch (RegexBudgetExceeded e) {
            problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, e.getMessage()
                    + ": the resource seal cannot be evaluated", crEntry.path()));
            return new BundleResult(root.path(), lay.executableRel(), bundleId, crEntry.path(), false, 0, List.of(),
                    List.of(), List.of());
        }
    }

    private static BundleResult sealedResources(FileEntry root, Layout lay, FileEntry crEntry, byte[] codeResources,
                                                String bundleId, VerifyOptions opts, int depth, List<Problem> problems,
                                                List<CodeSignResult> nested, List<String> notes) throws IOException {
        Map<String, Object> cr;
        try {
            if (!(PropertyList.parse(codeResources) instanceof Map<?, ?> m)) {
                throw new io.vestige.io.MalformedException("CodeResources", 0, "top level is not a dict");
            }
            cr = SignatureChecker.castMap(m);
        } catch (ParseException e) {
            problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, "CodeResources: " + e.getMessage(), crEntry.path()));
            return new BundleResult(root.path(), lay.executableRel(), bundleId, crEntry.path(), false, 0, List.of(),
                    List.of(), List.of());
        }
        boolean v2 = cr.get("files2") instanceof Map;
        Map<String, Object> files = SignatureChecker.castMap((Map<?, ?>) (v2 ? cr.get("files2")
                : cr.get("files") instanceof Map<?, ?> f ? f : Map.of()));
        Object rulesObj = v2 ? cr.get("rules2") : cr.get("rules");
        List<Rule> rules = rules(rulesObj instanceof Map<?, ?> rm ? SignatureChecker.castMap(rm) : Map.of(), notes);
        if (!v2) {
            notes.add("CodeResources has no files2 (version 1 resource seal): checked with files/rules (SHA-1)");
        }
        // collect what is present
        Map<String, Found> present = new TreeMap<>();
        int[] budget = {(int) Math.min(Integer.MAX_VALUE, opts.limits().maxDirectoryEntries())};
        walk(lay.content(), "", files, rules, lay, present, 0, opts.limits().maxTreeDepth(), budget, problems);
        List<String> modified = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> added = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Object> e : files.entrySet()) {
            String rel = e.getKey();
            Rule rule = match(rules, rel);
            Map<String, Object> spec = e.getValue() instanceof Map<?, ?> m ? SignatureChecker.castMap(m) : null;
            byte[] legacyHash = e.getValue() instanceof byte[] b ? b : null;
            boolean optional = (spec != null && Boolean.TRUE.equals(spec.get("optional"))) || (rule != null && rule.optional());
            Found f = present.get(rel);
            if (f == null) {
                if (!optional) {
                    missing.add(rel);
                    problems.add(new Problem(ProblemType.RESOURCE_MISSING, "sealed resource " + rel
                            + " is missing from the bundle", rel));
                }
                continue;
            }
            checked++;
            if (spec != null && spec.get("symlink") instanceof String target) {
                if (f.entry().kind() != EntryKind.SYMLINK || !target.equals(f.entry().linkTarget())) {
                    modified.add(rel);
                    problems.add(new Problem(ProblemType.RESOURCE_SYMLINK_MISMATCH, "sealed symlink " + rel + " -> "
                            + target + " is now " + (f.entry().kind() == EntryKind.SYMLINK ? "-> " + f.entry().linkTarget()
                            : "a " + f.entry().kind().label()), rel));
                }
                continue;
            }
            if (spec != null && spec.get("cdhash") instanceof byte[] cdhash) {
                CodeSignResult n = nestedCode(f.entry(), opts, depth, problems, rel);
                if (n != null) {
                    nested.add(n);
                    boolean match = n.slices().stream().anyMatch(s -> s.codeDirectories().stream()
                            .anyMatch(cd -> HexFormat.of().formatHex(cdhash).equals(cd.cdhash())));
                    if (!match) {
                        modified.add(rel);
                        problems.add(new Problem(ProblemType.NESTED_CODE_CDHASH_MISMATCH, "nested code " + rel
                                + " has no CodeDirectory with the sealed cdhash " + HexFormat.of().formatHex(cdhash), rel));
                    }
                    if (n.verdict() == Verdict.INVALID) {
                        problems.add(new Problem(ProblemType.NESTED_CODE_INVALID, "nested code " + rel + " is invalid: "
                                + n.problems().stream().map(Problem::toString).limit(3).toList(), rel));
                    }
                }
                continue;
            }
            if (f.entry().kind() == EntryKind.SYMLINK || f.nestedBundle() || f.entry().isDirectory()) {
                modified.add(rel);
                problems.add(new Problem(ProblemType.RESOURCE_MODIFIED, "sealed file " + rel + " is now a "
                        + f.entry().kind().label(), rel));
                continue;
            }
            byte[] want;
            String alg;
            if (spec != null && spec.get("hash2") instanceof byte[] h2) {
                want = h2;
                alg = "SHA-256";
            } else if (spec != null && spec.get("hash") instanceof byte[] h1) {
                want = h1;
                alg = "SHA-1";
            } else if (legacyHash != null) {
                want = legacyHash;
                alg = "SHA-1";
            } else {
                problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, "CodeResources entry " + rel + " has no hash", rel));
                continue;
            }
            byte[] got = hashFile(f.entry(), alg);
            if (!MessageDigest.isEqual(want, got)) {
                modified.add(rel);
                problems.add(new Problem(ProblemType.RESOURCE_MODIFIED, "resource " + rel + " was modified: sealed " + alg
                        + " " + HexFormat.of().formatHex(want) + ", found " + HexFormat.of().formatHex(got), rel));
            }
        }
        for (Map.Entry<String, Found> e : present.entrySet()) {
            String rel = e.getKey();
            if (files.containsKey(rel)) {
                continue;
            }
            Rule rule = match(rules, rel);
            if (rule == null || rule.omit()) {
                continue;
            }
            added.add(rel);
            problems.add(new Problem(ProblemType.RESOURCE_ADDED, (e.getValue().nestedBundle() ? "nested code " : "file ")
                    + rel + " was added to the bundle after signing (not sealed in CodeResources)", rel));
        }
        boolean intact = modified.isEmpty() && missing.isEmpty() && added.isEmpty()
                && problems.stream().noneMatch(p -> p.type() == ProblemType.RESOURCE_DIRECTORY_MISMATCH
                || p.type() == ProblemType.NESTED_CODE_INVALID);
        return new BundleResult(root.path(), lay.executableRel(), bundleId, crEntry.path(), intact, checked, modified, missing,
                added);
    }

    private static CodeSignResult nestedCode(FileEntry e, VerifyOptions opts, int depth, List<Problem> problems, String rel)
            throws IOException {
        if (depth + 1 > opts.maxNestingDepth()) {
            problems.add(new Problem(ProblemType.UNSUPPORTED, "nested code deeper than " + opts.maxNestingDepth()
                    + " levels is not verified", rel));
            return null;
        }
        try {
            if (e.isDirectory()) {
                return verify(e, opts, depth + 1);
            }
            try (ByteSource src = e.content()) {
                return CodeSignatureVerifier.verifyMachO(src, e.path(), SignatureChecker.BundleContext.NONE, opts);
            }
        } catch (ParseException ex) {
            problems.add(new Problem(ProblemType.NESTED_CODE_INVALID, "nested code " + rel + " is not readable code: "
                    + ex.getMessage(), rel));
            return null;
        }
    }

    private static void walk(FileEntry dir, String prefix, Map<String, Object> files, List<Rule> rules, Layout lay,
                             Map<String, Found> out, int depth, int maxDepth, int[] budget, List<Problem> problems)
            throws IOException {
        if (depth > maxDepth) {
            problems.add(new Problem(ProblemType.UNSUPPORTED, "bundle folders nested deeper than " + maxDepth
                    + " are not checked", prefix));
            return;
        }
        for (FileEntry c : dir.children()) {
            if (--budget[0] < 0) {
                problems.add(new Problem(ProblemType.UNSUPPORTED, "too many files in the bundle (maxDirectoryEntries)", prefix));
                return;
            }
            String rel = prefix.isEmpty() ? c.name() : prefix + "/" + c.name();
            if (depth == 0 && (c.name().equals("_CodeSignature") || c.name().equals("CodeResources"))) {
                continue; // the seal itself and a stapled notarization ticket
            }
            if (rel.equals(lay.executableRel())) {
                continue; // the main executable is bound by the CodeDirectory, not by CodeResources
            }
            if (c.isDirectory()) {
                Object spec = files.get(rel);
                boolean sealedAsCode = spec instanceof Map<?, ?> m && m.containsKey("cdhash");
                Rule r = match(rules, rel + "/");
                boolean looksNested = r != null && r.nested() && isBundleName(c.name());
                if (sealedAsCode || looksNested) {
                    out.put(rel, new Found(c, true));
                    continue;
                }
                walk(c, rel, files, rules, lay, out, depth + 1, maxDepth, budget, problems);
            } else {
                out.put(rel, new Found(c, false));
            }
        }
    }

    private static boolean isBundleName(String n) {
        for (String ext : new String[] {".app", ".framework", ".xpc", ".appex", ".bundle", ".plugin", ".kext",
            ".systemextension", ".dext", ".qlgenerator", ".mdimporter", ".saver", ".prefPane"}) {
            if (n.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    static List<Rule> rules(Map<String, Object> m, List<String> notes) {
        List<Rule> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Pattern p;
            try {
                p = Pattern.compile(e.getKey());
            } catch (PatternSyntaxException ex) {
                notes.add("CodeResources rule " + e.getKey() + " is not a usable regular expression");
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> d) {
                double w = d.get("weight") instanceof Number n ? n.doubleValue() : 1.0;
                out.add(new Rule(e.getKey(), p, Boolean.TRUE.equals(d.get("omit")), Boolean.TRUE.equals(d.get("optional")),
                        Boolean.TRUE.equals(d.get("nested")), w));
            } else if (Boolean.TRUE.equals(e.getValue())) {
                out.add(new Rule(e.getKey(), p, false, false, false, 1.0));
            } else if (Boolean.FALSE.equals(e.getValue())) {
                out.add(new Rule(e.getKey(), p, true, false, false, 1.0));
            }
        }
        return out;
    }

    /** The matching rule with the highest weight (the first listed wins a tie), or {@code null}. */
    static Rule match(List<Rule> rules, String path) {
        Rule best = null;
        for (Rule r : rules) {
            if (find(r.pattern(), path) && (best == null || r.weight() > best.weight())) {
                best = r;
            }
        }
        return best;
    }

    /** Budget of character reads for one regex search: hostile rules2 patterns cannot backtrack forever. */
    static final long REGEX_STEPS = 2_000_000;

    /** Thrown when a CodeResources rule needs more than {@link #REGEX_STEPS} steps on one path. */
    static final class RegexBudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegexBudgetExceeded(String pattern) {
            super("CodeResources rule " + pattern + " exceeds the regular-expression step budget");
        }
    }

    private static boolean find(Pattern p, String path) {
        return p.matcher(new BudgetedChars(path, new long[] {REGEX_STEPS}, p.pattern())).find();
    }

    /** A CharSequence that counts reads and gives up when the budget is spent (ReDoS guard). */
    private record BudgetedChars(String s, long[] budget, String pattern) implements CharSequence {
        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new RegexBudgetExceeded(pattern);
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(s.substring(start, end), budget, pattern);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    private static byte[] hashFile(FileEntry e, String alg) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(alg);
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        try (ByteSource src = e.content()) {
            byte[] buf = new byte[1 << 16];
            long size = src.size();
            for (long p = 0; p < size; p += buf.length) {
                int n = (int) Math.min(buf.length, size - p);
                src.readFully(p, buf, 0, n);
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    static byte[] read(FileEntry e, int max) throws IOException {
        try (ByteSource src = e.content()) {
            if (src.size() > max) {
                throw new io.vestige.io.LimitExceededException(e.path(), 0, "maxMetadataSize", max, src.size());
            }
            return src.readBytes(0, (int) src.size());
        }
    }

    static FileEntry child(FileEntry dir, String name) throws IOException {
        if (dir == null || !dir.isDirectory()) {
            return null;
        }
        for (FileEntry c : dir.children()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }


}
