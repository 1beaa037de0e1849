package io.vestige.codesign;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;

/**
 * The immutable result of verifying one piece of code (a Mach-O file or a bundle), ready for
 * Jackson. {@link #problems} holds every problem of the whole tree (slices, resources, nested
 * code); empty problems with verdict {@code valid} means everything checked out.
 *
 * @param path         the file or bundle path as given
 * @param kind         {@code mach-o}, {@code bundle}, {@code bundle-detached} (resource-only bundle),
 *                     {@code bundle-script}, {@code file}, {@code file-xattr}, or {@code folder} (a folder
 *                     that is not a bundle: unsigned, with a note)
 * @param verdict      the overall verdict (the worst of all parts)
 * @param problems     every problem found, in a stable order
 * @param slices       one entry per Mach-O slice (or one pseudo-slice for a detached bundle signature)
 * @param bundle       bundle facts, or {@code null} for a lone file
 * @param nested       results for nested code found in CodeResources
 * @param notarization stapled ticket facts
 * @param notes        facts that are neither problems nor verdicts (what could not be checked and why)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"path", "kind", "verdict", "problems", "identifier", "teamId", "slices", "bundle", "nested",
    "notarization", "notes"})
public record CodeSignResult(String path, String kind, Verdict verdict, List<Problem> problems, List<SliceResult> slices,
                             BundleResult bundle, List<CodeSignResult> nested, NotarizationResult notarization,
                             List<String> notes) {
    public CodeSignResult {
        // the distinct union: a problem found once is listed once however many paths lead to it
        problems = List.copyOf(new java.util.LinkedHashSet<>(problems));
        slices = List.copyOf(slices);
        nested = List.copyOf(nested);
        notes = List.copyOf(notes);
    }

    /** The identifier of the first signed slice, or {@code null}. */
    @com.fasterxml.jackson.annotation.JsonProperty("identifier")
    public String identifier() {
        return slices.stream().filter(s -> s.identifier() != null).map(SliceResult::identifier).findFirst().orElse(null);
    }

    /** The team identifier of the first signed slice (CodeDirectory, else leaf OU), or {@code null}. */
    @com.fasterxml.jackson.annotation.JsonProperty("teamId")
    public String teamId() {
        return slices.stream().filter(s -> s.teamId() != null).map(SliceResult::teamId).findFirst().orElse(null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isValid() {
        return verdict == Verdict.VALID;
    }

    /**
     * One Mach-O slice: its identity, every CodeDirectory, the CMS signature and requirements.
     * {@code teamId} is the CodeDirectory's team identifier (else the leaf's OU for non-Apple chains);
     * {@code teamIdsAgree} compares it with the signing certificate's OU ({@code null} when either is absent).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"arch", "uuid", "fileOffset", "size", "verdict", "signed", "identifier", "teamId", "cdhash",
        "flags", "problems", "codeDirectories", "cms", "designatedRequirement", "designatedRequirementSatisfied",
        "requirements", "entitlements", "derEntitlements", "launchConstraints", "buildVersion", "dylibs", "notes",
        "teamIdsAgree"})
    public record SliceResult(String arch, String uuid, long fileOffset, long size, Verdict verdict, boolean signed,
                              String identifier, String teamId, String cdhash, List<String> flags,
                              List<Problem> problems, List<CodeDirectoryResult> codeDirectories, CmsResult cms,
                              String designatedRequirement, Boolean designatedRequirementSatisfied,
                              List<RequirementText> requirements, String entitlements, String derEntitlements,
                              List<String> launchConstraints, String buildVersion, List<String> dylibs,
                              List<String> notes, Boolean teamIdsAgree) {
        public SliceResult {
            notes = List.copyOf(notes);
            flags = List.copyOf(flags);
            problems = List.copyOf(problems);
            codeDirectories = List.copyOf(codeDirectories);
            requirements = List.copyOf(requirements);
            launchConstraints = List.copyOf(launchConstraints);
            dylibs = List.copyOf(dylibs);
        }
    }

    /** One requirement of the requirement set, in Apple's text form. */
    public record RequirementText(String type, String text) {
    }

    /** One CodeDirectory (slot 0 or an alternate) and what its hashes say. Absent values are written as null (a contract). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"slot", "version", "hashType", "identifier", "teamId", "cdhash", "cdhashFull", "flags",
        "flagsValue", "platform", "pageSize", "codeLimit", "nCodeSlots", "nSpecialSlots", "pageHashesValid",
        "mismatchedPages", "specialSlots", "execSegBase", "execSegLimit", "execSegFlags", "runtimeVersion"})
    public record CodeDirectoryResult(String slot, String version, String hashType, String identifier, String teamId,
                                      String cdhash, String cdhashFull, List<String> flags, long flagsValue,
                                      int platform, long pageSize, long codeLimit, long nCodeSlots, long nSpecialSlots,
                                      boolean pageHashesValid, List<Long> mismatchedPages,
                                      List<SpecialSlotResult> specialSlots, Long execSegBase, Long execSegLimit,
                                      List<String> execSegFlags, String runtimeVersion) {
        public CodeDirectoryResult {
            flags = List.copyOf(flags);
            mismatchedPages = List.copyOf(mismatchedPages);
            specialSlots = List.copyOf(specialSlots);
            execSegFlags = execSegFlags == null ? null : List.copyOf(execSegFlags);
        }
    }

    /**
     * One special slot: -1 Info.plist, -2 requirements, -3 CodeResources, -5 entitlements, -7 DER
     * entitlements. {@code status}: {@code match}, {@code mismatch}, {@code missing} (bound but
     * absent), {@code not-checked} (nothing to compare with here) or {@code unused} (zero digest).
     */
    public record SpecialSlotResult(int slot, String name, String status, String expected, String actual) {
    }

    /** The CMS signature (slot 0x10000) and its certificate chain. Absent values are written as null (a contract). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"signerSubject", "signerCommonName", "organisation", "teamId", "certificateRoles", "chain",
        "anchor", "signingTime", "timestamp", "digestAlgorithm", "signatureValid", "messageDigestValid",
        "cdhashesAttribute", "hashAgilityAttribute", "validityCheckedAt", "validityTimeSource"})
    public record CmsResult(String signerSubject, String signerCommonName, String organisation, String teamId,
                            List<String> certificateRoles, List<String> chain, AnchorResult anchor,
                            @JsonSerialize(using = ToStringSerializer.class) Instant signingTime, TimestampResult timestamp, String digestAlgorithm,
                            boolean signatureValid, boolean messageDigestValid, String cdhashesAttribute,
                            String hashAgilityAttribute,
                            @JsonSerialize(using = ToStringSerializer.class) Instant validityCheckedAt, String validityTimeSource) {
        public CmsResult {
            certificateRoles = List.copyOf(certificateRoles);
            chain = List.copyOf(chain);
        }
    }

    /**
     * Where a chain ends. {@code kind}: {@code apple} (pinned Apple root by SHA-256), {@code user-supplied}
     * ({@code --trust-anchor}), {@code untrusted} (a self-signed root that is neither) or
     * {@code incomplete} (no self-signed root among the certificates present).
     */
    public record AnchorResult(String kind, String name, String subject, String sha256) {
    }

    /** An RFC 3161 timestamp token (unsigned attribute 1.2.840.113549.1.9.16.2.14). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimestampResult(@JsonSerialize(using = ToStringSerializer.class) Instant time, String tsaSubject, boolean valid, AnchorResult anchor, String detail) {
    }

    /** Bundle facts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BundleResult(String root, String executable, String infoPlistIdentifier, String codeResources,
                               boolean codeResourcesIntact, int filesChecked, List<String> modified,
                               List<String> missing, List<String> added) {
        public BundleResult {
            modified = List.copyOf(modified);
            missing = List.copyOf(missing);
            added = List.copyOf(added);
        }
    }

    /** Notarization: whether a ticket is stapled, and what cannot be known offline. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NotarizationResult(String status, String ticketLocation, Long ticketSize, String detail) {
    }
}
