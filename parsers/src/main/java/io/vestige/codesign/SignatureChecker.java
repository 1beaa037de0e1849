package io.vestige.codesign;

import io.vestige.codesign.CodeSignResult.CodeDirectoryResult;
import io.vestige.codesign.CodeSignResult.RequirementText;
import io.vestige.codesign.CodeSignResult.SliceResult;
import io.vestige.codesign.CodeSignResult.SpecialSlotResult;
import io.vestige.format.plist.PropertyList;
import io.vestige.io.ByteSource;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies one signature (the blobs of an embedded SuperBlob, or the files of a detached bundle
 * signature) against its code bytes and the bundle files bound in its special slots.
 */
final class SignatureChecker {

    /** The signature's blobs by slot (each with its header) and the CMS payload ({@code null}: no slot; empty: ad hoc). */
    record Components(Map<Long, byte[]> blobs, byte[] cms, long base) {
    }

    /** What the enclosing bundle provides for the special slots; all fields may be null. */
    record BundleContext(byte[] infoPlist, byte[] codeResources, String infoPlistSource) {
        static final BundleContext NONE = new BundleContext(null, null, null);
    }

    /** Facts about the code the signature covers. */
    record CodeInfo(String arch, String uuid, long fileOffset, long size, ByteSource code, long signatureOffset,
                    String buildVersion, List<String> dylibs) {
    }

    private SignatureChecker() {
    }

    static SliceResult check(Components comp, CodeInfo info, BundleContext ctx, VerifyOptions opts) throws IOException {
        String where = info.arch();
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // CodeDirectories: slot 0 then alternates in slot order
        List<CodeDirectory> cds = new ArrayList<>();
        List<Long> cdSlots = new ArrayList<>();
        for (long slot : new long[] {0, 0x1000, 0x1001, 0x1002, 0x1003, 0x1004}) {
            byte[] b = comp.blobs().get(slot);
            if (b == null) {
                continue;
            }
            try {
                cds.add(CodeDirectory.parse(b, comp.base()));
                cdSlots.add(slot);
            } catch (ParseException e) {
                problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, CodeSigning.slotName(slot) + ": " + e.getMessage(), where));
            }
        }
        if (cds.isEmpty() || cdSlots.get(0) != 0) {
            if (problems.isEmpty()) {
                problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, "the signature has no CodeDirectory in slot 0", where));
            }
            return new SliceResult(info.arch(), info.uuid(), info.fileOffset(), info.size(), Verdict.INVALID, true, null,
                    null, null, List.of(), problems, List.of(), null, null, null, List.of(), null, null, List.of(),
                    info.buildVersion(), info.dylibs(), notes, null);
        }
        // requirements
        byte[] reqBlob = comp.blobs().get((long) CodeSigning.CSSLOT_REQUIREMENTS);
        List<RequirementText> reqTexts = new ArrayList<>();
        Requirement designated = null;
        if (reqBlob != null) {
            try {
                for (Map.Entry<Long, Requirement> e : Requirements.parse(reqBlob, comp.base()).entrySet()) {
                    reqTexts.add(new RequirementText(Requirements.typeName(e.getKey()), e.getValue().toString()));
                    if (e.getKey() == Requirements.DESIGNATED) {
                        designated = e.getValue();
                    }
                }
            } catch (ParseException e) {
                problems.add(new Problem(ProblemType.MALFORMED_SIGNATURE, "requirements: " + e.getMessage(), where));
            }
        }
        // entitlements
        byte[] ent = comp.blobs().get((long) CodeSigning.CSSLOT_ENTITLEMENTS);
        String entXml = ent != null && ent.length > 8 ? new String(ent, 8, ent.length - 8, StandardCharsets.UTF_8) : null;
        Map<String, Object> entMap = null;
        if (entXml != null) {
            try {
                Object o = PropertyList.parse(java.util.Arrays.copyOfRange(ent, 8, ent.length));
                if (o instanceof Map<?, ?> m) {
                    entMap = castMap(m);
                }
            } catch (ParseException e) {
                notes.add("entitlements blob is not a readable XML plist: " + e.getMessage());
            }
        }
        byte[] derEnt = comp.blobs().get((long) CodeSigning.CSSLOT_DER_ENTITLEMENTS);
        String derEntText = null;
        if (derEnt != null) {
            try {
                Map<String, Object> der = DerEntitlements.decode(java.util.Arrays.copyOfRange(derEnt, 8, derEnt.length));
                derEntText = String.valueOf(der);
                if (entMap != null && !DerEntitlements.sameAs(der, entMap)) {
                    // the kernel enforces the DER form; a reader of the XML form would be misled
                    notes.add("XML and DER entitlements disagree: DER " + der + " vs XML " + entMap);
                }
            } catch (ParseException e) {
                derEntText = "undecodable DER entitlements, " + (derEnt.length - 8) + " bytes";
                notes.add(e.getMessage());
            }
        }
        List<String> launch = new ArrayList<>();
        for (int s = CodeSigning.CSSLOT_LAUNCH_CONSTRAINT_SELF; s <= CodeSigning.CSSLOT_LIBRARY_CONSTRAINT; s++) {
            byte[] b = comp.blobs().get((long) s);
            if (b != null) {
                launch.add(CodeSigning.slotName(s) + ": " + (b.length - 8) + " bytes (DER), present and "
                        + "bound by the CodeDirectory slot -" + s);
            }
        }
        if (comp.blobs().containsKey((long) CodeSigning.CSSLOT_TICKETSLOT)) {
            notes.add("notarization ticket present in slot 0x10002 ("
                    + (comp.blobs().get((long) CodeSigning.CSSLOT_TICKETSLOT).length - 8) + " bytes), not covered by the CodeDirectory");
        }
        if (comp.blobs().keySet().stream().anyMatch(k -> k == CodeSigning.CSSLOT_IDENTIFICATIONSLOT)) {
            notes.add("identification blob present in slot 0x10001");
        }
        // each CodeDirectory
        List<CodeDirectoryResult> cdResults = new ArrayList<>();
        List<List<Problem>> perCd = new ArrayList<>();
        for (int i = 0; i < cds.size(); i++) {
            List<Problem> cdProblems = new ArrayList<>();
            cdResults.add(checkCodeDirectory(cds.get(i), cdSlots.get(i), comp, info, ctx, where, cdProblems));
            perCd.add(cdProblems);
        }
        problems.addAll(mergeAcrossCodeDirectories(perCd, cdSlots, where));
        CodeDirectory primary = cds.get(0);
        for (CodeDirectory cd : cds) {
            if (!cd.identifier().equals(primary.identifier())) {
                problems.add(new Problem(ProblemType.IDENTIFIER_MISMATCH, "CodeDirectories disagree on the identifier: "
                        + primary.identifier() + " vs " + cd.identifier(), where));
            }
            if (!java.util.Objects.equals(cd.teamId(), primary.teamId())) {
                problems.add(new Problem(ProblemType.TEAM_ID_MISMATCH, "CodeDirectories disagree on the team identifier: "
                        + primary.teamId() + " vs " + cd.teamId(), where));
            }
        }
        // unbound blobs: a blob present in the SuperBlob that no CodeDirectory slot binds
        for (int s : new int[] {CodeSigning.CSSLOT_REQUIREMENTS, CodeSigning.CSSLOT_ENTITLEMENTS,
            CodeSigning.CSSLOT_DER_ENTITLEMENTS}) {
            if (comp.blobs().containsKey((long) s) && !primary.hasSpecial(s)) {
                problems.add(new Problem(ProblemType.UNBOUND_BLOB, "the " + CodeSigning.slotName(s)
                        + " blob is present but the CodeDirectory does not bind it (slot -" + s + " unused)", where));
            }
        }
        // CMS
        CodeSignResult.CmsResult cmsResult = null;
        List<X509Certificate> chain = List.of();
        boolean anchorTrusted = false;
        boolean anchorApple = false;
        boolean hasCms = comp.cms() != null && comp.cms().length > 0;
        if (hasCms) {
            CmsVerifier.Outcome o = CmsVerifier.verify(comp.cms(), cds, opts.trustAnchors(), where);
            problems.addAll(o.problems());
            cmsResult = o.result();
            chain = o.chain();
            anchorApple = o.anchorApple();
            anchorTrusted = cmsResult != null && cmsResult.anchor() != null
                    && (cmsResult.anchor().kind().equals("apple") || cmsResult.anchor().kind().equals("user-supplied"));
            if (cmsResult != null && primary.teamId() != null && cmsResult.teamId() != null
                    && !primary.teamId().equals(cmsResult.teamId()) && !chain.isEmpty()
                    && chain.get(0).getExtensionValue("1.2.840.113635.100.6.22") == null) {
                problems.add(new Problem(ProblemType.TEAM_ID_MISMATCH, "the CodeDirectory's team identifier "
                        + primary.teamId() + " differs from the signing certificate's OU " + cmsResult.teamId(), where));
            }
        }
        Boolean drOk = null;
        if (designated != null && hasCms && cmsResult != null) {
            Map<String, Object> infoMap = null;
            if (ctx.infoPlist() != null) {
                try {
                    Object o = PropertyList.parse(ctx.infoPlist());
                    if (o instanceof Map<?, ?> m) {
                        infoMap = castMap(m);
                    }
                } catch (ParseException e) {
                    notes.add("Info.plist not readable for requirement evaluation: " + e.getMessage());
                }
            }
            List<byte[]> cdh = cds.stream().map(CodeDirectory::cdhash).toList();
            // a user-supplied anchor stands in for Apple's root in "anchor apple generic": the examiner asked to trust it
            drOk = RequirementEvaluator.evaluate(designated, new RequirementEvaluator.Context(primary.identifier(), cdh,
                    chain, anchorTrusted, infoMap, entMap));
            if (!drOk && anchorTrusted) {
                problems.add(new Problem(ProblemType.DESIGNATED_REQUIREMENT_NOT_SATISFIED, "the code does not satisfy its "
                        + "designated requirement: " + designated, where));
            }
        }
        String team = primary.teamId() != null ? primary.teamId() : cmsResult != null && !anchorApple ? cmsResult.teamId() : null;
        Boolean agree = cmsResult == null || primary.teamId() == null || cmsResult.teamId() == null ? null
                : primary.teamId().equals(cmsResult.teamId());
        Verdict v = verdict(problems, hasCms);
        CodeDirectory best = cds.get(0);
        for (CodeDirectory cd : cds) {
            if (cd.hashType() != null && (best.hashType() == null || cd.hashType().strength() > best.hashType().strength())) {
                best = cd;
            }
        }
        List<Problem> all = new ArrayList<>(problems);
        return new SliceResult(info.arch(), info.uuid(), info.fileOffset(), info.size(), v, true, primary.identifier(), team,
                CmsVerifier.hex(best.cdhash()), CodeSigning.flagNames(primary.flags()), all, cdResults, cmsResult,
                designated == null ? null : designated.toString(), drOk, reqTexts, entXml, derEntText, launch,
                info.buildVersion(), info.dylibs(), notes, agree);
    }

    /**
     * One problem per fact, not per CodeDirectory: the SHA-1 and SHA-256 CodeDirectories of one
     * signature hash the same pages and files, so a modified page or Info.plist shows up in each.
     * Problems of the same type whose messages differ only in hash values are merged into one that
     * names every CodeDirectory (and keeps each one's differing message); a problem only one
     * CodeDirectory has is kept as it is.
     */
    static List<Problem> mergeAcrossCodeDirectories(List<List<Problem>> perCd, List<Long> cdSlots, String where) {
        Map<String, List<int[]>> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < perCd.size(); i++) {
            for (int j = 0; j < perCd.get(i).size(); j++) {
                Problem p = perCd.get(i).get(j);
                String key = p.type().name() + "\u0000" + p.message().replaceAll("\\b[0-9a-f]{32,}\\b", "#");
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new int[] {i, j});
            }
        }
        List<Problem> out = new ArrayList<>();
        for (List<int[]> g : groups.values()) {
            if (g.size() == 1) {
                out.add(perCd.get(g.get(0)[0]).get(g.get(0)[1]));
                continue;
            }
            java.util.Set<String> messages = new java.util.LinkedHashSet<>();
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (int[] ij : g) {
                messages.add(perCd.get(ij[0]).get(ij[1]).message());
                names.add(CodeSigning.slotName(cdSlots.get(ij[0])));
            }
            String message;
            if (messages.size() == 1) {
                message = messages.iterator().next();
            } else {
                List<String> parts = new ArrayList<>();
                for (int[] ij : g) {
                    parts.add(CodeSigning.slotName(cdSlots.get(ij[0])) + ": " + perCd.get(ij[0]).get(ij[1]).message());
                }
                message = String.join("; ", parts);
            }
            Problem first = perCd.get(g.get(0)[0]).get(g.get(0)[1]);
            out.add(new Problem(first.type(), message, where + " " + String.join(", ", names)));
        }
        return out;
    }

    static Verdict verdict(List<Problem> problems, boolean hasCms) {
        boolean invalid = problems.stream().anyMatch(p -> p.type().invalidates());
        if (invalid) {
            return Verdict.INVALID;
        }
        if (!hasCms) {
            return Verdict.ADHOC;
        }
        return problems.isEmpty() ? Verdict.VALID : Verdict.UNTRUSTED_ANCHOR;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static CodeDirectoryResult checkCodeDirectory(CodeDirectory cd, long slot, Components comp, CodeInfo info,
                                                          BundleContext ctx, String where, List<Problem> problems)
            throws IOException {
        String w = where + " " + CodeSigning.slotName(slot);
        HashType type = cd.hashType();
        boolean pagesOk = true;
        List<Long> badPages = List.of();
        if (type == null || type.size() != cd.hashSize()) {
            problems.add(new Problem(ProblemType.UNSUPPORTED, "hash type " + cd.hashTypeCode() + " with hashSize "
                    + cd.hashSize() + " is not a known combination", w));
            pagesOk = false;
        } else if (cd.scatterOffset() != 0) {
            problems.add(new Problem(ProblemType.UNSUPPORTED, "scatter vectors (pre-2010 signatures) are not supported", w));
            pagesOk = false;
        } else {
            long limit = cd.codeLimit();
            long page = cd.pageSize();
            long expected = limit == 0 ? 0 : page == 0 ? 1 : (limit + page - 1) / page;
            if (expected != cd.nCodeSlots()) {
                problems.add(new Problem(ProblemType.CODE_SLOT_COUNT_MISMATCH, "codeLimit " + limit + " with page size "
                        + page + " needs " + expected + " code slots, the CodeDirectory has " + cd.nCodeSlots(), w));
                pagesOk = false;
            }
            if (info.code() == null) {
                if (cd.nCodeSlots() != 0) {
                    problems.add(new Problem(ProblemType.CODE_PAGE_HASH_MISMATCH, "the CodeDirectory hashes "
                            + cd.nCodeSlots() + " code pages but there is no code", w));
                    pagesOk = false;
                }
            } else if (limit > info.code().size()) {
                problems.add(new Problem(ProblemType.CODE_PAGE_HASH_MISMATCH, "codeLimit " + limit
                        + " lies beyond the end of the code (" + info.code().size() + " bytes): the file was truncated", w));
                pagesOk = false;
            } else {
                if (info.signatureOffset() >= 0 && limit != info.signatureOffset()) {
                    // codesign hashes exactly up to the signature; anything else means bytes outside the hashes
                    problems.add(new Problem(ProblemType.CODE_PAGE_HASH_MISMATCH, "codeLimit " + limit
                            + " differs from the signature offset " + info.signatureOffset()
                            + ": bytes before the signature are not covered", w));
                    pagesOk = false;
                }
                PageHasher.Result r = PageHasher.check(info.code(), cd, limit, Math.min(expected, cd.nCodeSlots()));
                if (r.mismatchCount() > 0) {
                    pagesOk = false;
                    badPages = r.mismatched();
                    long pg = page == 0 ? limit : page;
                    problems.add(new Problem(ProblemType.CODE_PAGE_HASH_MISMATCH, info.signatureOffset() < 0
                            ? r.mismatchCount() + " of " + expected + " page(s) of the detached-signed content "
                            + info.code().describe() + " no longer match their hash: modified after signing"
                            + (info.code().describe().endsWith("Info.plist")
                            ? " (a bundle without executable seals its Info.plist as its code)" : "")
                            : r.mismatchCount() + " of " + expected + " code page(s) no longer match their hash (first: page "
                            + r.mismatched().get(0) + " at slice offset " + r.mismatched().get(0) * pg
                            + "): the code was modified after signing", w));
                }
            }
        }
        List<SpecialSlotResult> specials = new ArrayList<>();
        for (int k = 1; k <= Math.min(cd.nSpecialSlots(), 11); k++) {
            specials.add(special(cd, k, comp, ctx, w, problems, type));
        }
        List<String> execFlags = null;
        if (cd.version() >= CodeDirectory.SUPPORTS_EXECSEG) {
            execFlags = new ArrayList<>();
            long f = cd.execSegFlags();
            if ((f & CodeDirectory.CS_EXECSEG_MAIN_BINARY) != 0) {
                execFlags.add("main-binary");
            }
            if ((f & CodeDirectory.CS_EXECSEG_ALLOW_UNSIGNED) != 0) {
                execFlags.add("allow-unsigned");
            }
            if ((f & CodeDirectory.CS_EXECSEG_DEBUGGER) != 0) {
                execFlags.add("debugger");
            }
            if ((f & CodeDirectory.CS_EXECSEG_JIT) != 0) {
                execFlags.add("jit");
            }
            if ((f & CodeDirectory.CS_EXECSEG_SKIP_LV) != 0) {
                execFlags.add("skip-library-validation");
            }
            if ((f & CodeDirectory.CS_EXECSEG_CAN_LOAD_CDHASH) != 0) {
                execFlags.add("can-load-cdhash");
            }
            if ((f & CodeDirectory.CS_EXECSEG_CAN_EXEC_CDHASH) != 0) {
                execFlags.add("can-exec-cdhash");
            }
        }
        String runtime = cd.version() >= CodeDirectory.SUPPORTS_RUNTIME && cd.runtime() != 0
                ? io.vestige.format.macho.LoadCommands.version(cd.runtime()) : null;
        byte[] full = type == null ? new byte[0] : cd.fullDigest();
        return new CodeDirectoryResult(slot == 0 ? "0" : "0x" + Long.toHexString(slot), "0x" + Long.toHexString(cd.version()),
                type == null ? "unknown-" + cd.hashTypeCode() : type.label(), cd.identifier(), cd.teamId(),
                type == null ? null : CmsVerifier.hex(cd.cdhash()), type == null ? null : CmsVerifier.hex(full),
                CodeSigning.flagNames(cd.flags()), cd.flags(), cd.platform(), cd.pageSize(), cd.codeLimit(), cd.nCodeSlots(),
                cd.nSpecialSlots(), pagesOk, badPages, specials,
                cd.version() >= CodeDirectory.SUPPORTS_EXECSEG ? cd.execSegBase() : null,
                cd.version() >= CodeDirectory.SUPPORTS_EXECSEG ? cd.execSegLimit() : null, execFlags, runtime);
    }

    private static SpecialSlotResult special(CodeDirectory cd, int k, Components comp, BundleContext ctx, String where,
                                             List<Problem> problems, HashType type) {
        String name = CodeSigning.slotName(k);
        if (!cd.hasSpecial(k)) {
            return new SpecialSlotResult(-k, name, "unused", null, null);
        }
        String expected = CmsVerifier.hex(cd.specialHash(k));
        if (type == null) {
            return new SpecialSlotResult(-k, name, "not-checked", expected, null);
        }
        byte[] data;
        ProblemType mismatch;
        ProblemType missing;
        switch (k) {
            case CodeSigning.CSSLOT_INFOSLOT -> {
                data = ctx.infoPlist();
                mismatch = ProblemType.INFO_PLIST_MISMATCH;
                missing = ctx.infoPlistSource() == null ? null : ProblemType.INFO_PLIST_MISSING;
            }
            case CodeSigning.CSSLOT_RESOURCEDIR -> {
                data = ctx.codeResources();
                mismatch = ProblemType.RESOURCE_DIRECTORY_MISMATCH;
                missing = ctx.infoPlistSource() == null ? null : ProblemType.RESOURCE_DIRECTORY_MISSING;
            }
            case CodeSigning.CSSLOT_REQUIREMENTS, CodeSigning.CSSLOT_ENTITLEMENTS, CodeSigning.CSSLOT_DER_ENTITLEMENTS,
                CodeSigning.CSSLOT_LAUNCH_CONSTRAINT_SELF, CodeSigning.CSSLOT_LAUNCH_CONSTRAINT_PARENT,
                CodeSigning.CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE, CodeSigning.CSSLOT_LIBRARY_CONSTRAINT -> {
                data = comp.blobs().get((long) k);
                mismatch = k == CodeSigning.CSSLOT_REQUIREMENTS ? ProblemType.REQUIREMENTS_MISMATCH
                        : k == CodeSigning.CSSLOT_ENTITLEMENTS ? ProblemType.ENTITLEMENTS_MISMATCH
                        : k == CodeSigning.CSSLOT_DER_ENTITLEMENTS ? ProblemType.DER_ENTITLEMENTS_MISMATCH
                        : ProblemType.MALFORMED_SIGNATURE;
                missing = mismatch;
            }
            default -> {
                return new SpecialSlotResult(-k, name, "not-checked", expected, null);
            }
        }
        if (data == null) {
            if (missing != null) {
                problems.add(new Problem(missing, "slot -" + k + " binds " + name + " (" + expected
                        + ") but it is missing", where));
                return new SpecialSlotResult(-k, name, "missing", expected, null);
            }
            return new SpecialSlotResult(-k, name, "not-checked", expected, null);
        }
        String actual = CmsVerifier.hex(type.digest(data, 0, data.length));
        if (!actual.equals(expected)) {
            problems.add(new Problem(mismatch, name + " does not match slot -" + k + ": expected " + expected + ", found "
                    + actual, where));
            return new SpecialSlotResult(-k, name, "mismatch", expected, actual);
        }
        return new SpecialSlotResult(-k, name, "match", expected, actual);
    }

    /** The blobs of an embedded SuperBlob, keyed by slot (the CMS wrapper's payload goes to {@code cms}). */
    static Components fromSuperBlob(SuperBlob sb) throws ParseException {
        Map<Long, byte[]> blobs = new TreeMap<>();
        byte[] cms = null;
        for (SuperBlob.Entry e : sb.entries()) {
            if (e.type() == CodeSigning.CSSLOT_SIGNATURESLOT) {
                if (e.blobMagic() != CodeSigning.CSMAGIC_BLOBWRAPPER) {
                    throw new io.vestige.io.BadMagicException("CMS blob wrapper", sb.base() + e.offset(), "0xfade0b01",
                            String.format("0x%08x", e.blobMagic()));
                }
                cms = java.util.Arrays.copyOfRange(e.blob(), 8, e.blob().length);
            } else if (blobs.putIfAbsent(e.type(), e.blob()) != null) {
                throw new io.vestige.io.MalformedException("code signature SuperBlob", sb.base() + e.offset(),
                        "slot " + CodeSigning.slotName(e.type()) + " appears twice");
            }
        }
        return new Components(blobs, cms, sb.base());
    }



}
