package io.vestige.hunt;

import io.vestige.codesign.CodeSignResult;
import io.vestige.codesign.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a code-signing verification result into the facts the verdict and the report use. */
public final class SignatureFacts {
    private SignatureFacts() {
    }

    public static BundleEvidence.Signature of(CodeSignResult r, String provenance) {
        String certTeam = null;
        String subject = null;
        String org = null;
        String anchorKind = null;
        String anchorName = null;
        List<String> problems = new ArrayList<>();
        for (Problem p : r.problems()) {
            problems.add(p.toString());
        }
        for (CodeSignResult.SliceResult s : r.slices()) {
            for (Problem p : s.problems()) {
                String t = (s.arch() == null ? "" : s.arch() + ": ") + p;
                if (!problems.contains(t) && !problems.contains(p.toString())) {
                    problems.add(t);
                }
            }
            if (s.cms() != null) {
                certTeam = certTeam == null ? s.cms().teamId() : certTeam;
                subject = subject == null ? s.cms().signerSubject() : subject;
                org = org == null ? s.cms().organisation() : org;
                if (s.cms().anchor() != null && anchorKind == null) {
                    anchorKind = s.cms().anchor().kind();
                    // for user-supplied anchors the name is generic; the subject says which certificate it was
                    anchorName = "user-supplied".equals(anchorKind) || s.cms().anchor().name() == null
                            ? s.cms().anchor().subject() : s.cms().anchor().name();
                }
            }
        }
        List<String> modified = List.of();
        List<String> missing = List.of();
        List<String> added = List.of();
        if (r.bundle() != null) {
            modified = r.bundle().modified();
            missing = r.bundle().missing();
            added = r.bundle().added();
        }
        return new BundleEvidence.Signature(r.verdict().label(), r.teamId(), certTeam, r.identifier(), subject, org,
                anchorKind, anchorName, problems, modified, missing, added, provenance);
    }

    /** Architecture, UUID and build facts per slice, for the report's Mach-O line. */
    public static Map<String, Object> machO(CodeSignResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> slices = new ArrayList<>();
        for (CodeSignResult.SliceResult s : r.slices()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("arch", s.arch());
            x.put("uuid", s.uuid());
            if (s.buildVersion() != null) {
                x.put("buildVersion", s.buildVersion());
            }
            slices.add(x);
        }
        m.put("slices", slices);
        return m;
    }
}
