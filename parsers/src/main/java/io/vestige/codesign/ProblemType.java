package io.vestige.codesign;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What went wrong in a verification. Each type says whether it makes the signature
 * {@code invalid} or only means the anchor is not trusted.
 */
public enum ProblemType {
    MALFORMED_SIGNATURE("malformed-signature", true),
    UNSUPPORTED("unsupported", true),
    CODE_PAGE_HASH_MISMATCH("code-page-hash-mismatch", true),
    CODE_SLOT_COUNT_MISMATCH("code-slot-count-mismatch", true),
    INFO_PLIST_MISMATCH("info-plist-mismatch", true),
    INFO_PLIST_MISSING("info-plist-missing", true),
    REQUIREMENTS_MISMATCH("requirements-mismatch", true),
    RESOURCE_DIRECTORY_MISMATCH("code-resources-mismatch", true),
    RESOURCE_DIRECTORY_MISSING("code-resources-missing", true),
    ENTITLEMENTS_MISMATCH("entitlements-mismatch", true),
    DER_ENTITLEMENTS_MISMATCH("der-entitlements-mismatch", true),
    UNBOUND_BLOB("unbound-blob", true),
    IDENTIFIER_MISMATCH("identifier-mismatch", true),
    CMS_MALFORMED("cms-malformed", true),
    CMS_MESSAGE_DIGEST_MISMATCH("cms-message-digest-mismatch", true),
    CMS_SIGNATURE_INVALID("cms-signature-invalid", true),
    CMS_CDHASHES_MISMATCH("cms-cdhashes-mismatch", true),
    CMS_HASH_AGILITY_MISMATCH("cms-hash-agility-mismatch", true),
    CMS_SIGNER_CERTIFICATE_MISSING("cms-signer-certificate-missing", true),
    CERTIFICATE_SIGNATURE_INVALID("certificate-signature-invalid", true),
    CERTIFICATE_NOT_VALID_AT_SIGNING_TIME("certificate-not-valid-at-signing-time", true),
    /** An issuing certificate in the chain is not a CA (basicConstraints) or may not sign certificates (keyUsage). */
    CERTIFICATE_NOT_A_CA("certificate-not-a-ca", true),
    /** The signing certificate's extended key usage does not allow code signing. */
    CERTIFICATE_NOT_FOR_CODE_SIGNING("certificate-not-for-code-signing", true),
    TIMESTAMP_INVALID("timestamp-invalid", true),
    TEAM_ID_MISMATCH("team-id-mismatch", true),
    DESIGNATED_REQUIREMENT_NOT_SATISFIED("designated-requirement-not-satisfied", true),
    RESOURCE_MODIFIED("resource-modified", true),
    RESOURCE_MISSING("resource-missing", true),
    RESOURCE_ADDED("resource-added", true),
    RESOURCE_SYMLINK_MISMATCH("resource-symlink-mismatch", true),
    NESTED_CODE_INVALID("nested-code-invalid", true),
    NESTED_CODE_CDHASH_MISMATCH("nested-code-cdhash-mismatch", true),
    SLICES_DISAGREE("slices-disagree", true),
    /** The chain ends at a certificate that is not a pinned Apple root nor a user-supplied anchor. */
    UNTRUSTED_ANCHOR("untrusted-anchor", false),
    /** The chain could not be completed up to a self-signed root from the certificates present. */
    INCOMPLETE_CHAIN("incomplete-chain", false);

    private final String label;
    private final boolean invalidates;

    ProblemType(String label, boolean invalidates) {
        this.label = label;
        this.invalidates = invalidates;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** True when this problem makes the verdict {@code invalid}; false for trust-only problems. */
    public boolean invalidates() {
        return invalidates;
    }

    @Override
    public String toString() {
        return label;
    }
}
