package io.vestige.codesign;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Apple's root certificates, pinned by the SHA-256 of their DER encoding, and the certificate
 * extension OIDs Apple uses to mark code-signing leaves and intermediates. No certificate ships:
 * the signature's own embedded chain carries the root and only its fingerprint is compared.
 * Fingerprints: Apple Root CA read from the chains embedded in the corpus samples (ls, DevSignedApp)
 * and the three agree with Apple's published values (apple.com/certificateauthority).
 */
public final class AppleAnchors {
    private AppleAnchors() {
    }

    /** SHA-256 (lower-case hex) → root name. */
    public static final Map<String, String> ROOTS;

    static {
        Map<String, String> m = new TreeMap<>();
        m.put("b0b1730ecbc7ff4505142c49f1295e6eda6bcaed7e2c68c5be91b5a11001f024", "Apple Root CA");
        m.put("c2b9b042dd57830e7d117dac55ac8ae19407d38e41d88f3215bc3a890444a050", "Apple Root CA - G2");
        m.put("63343abfb89a6a03ebb57e9b3f5fa7be7c4f5c756f3017b3a8c488c3653e9179", "Apple Root CA - G3");
        ROOTS = java.util.Collections.unmodifiableMap(m);
    }

    public static final String OID_DEVELOPER_ID_APPLICATION = "1.2.840.113635.100.6.1.13";
    public static final String OID_DEVELOPER_ID_INSTALLER = "1.2.840.113635.100.6.1.14";
    public static final String OID_DEVELOPER_ID_CA = "1.2.840.113635.100.6.2.6";
    public static final String OID_WWDR_CA = "1.2.840.113635.100.6.2.1";
    public static final String OID_APPLE_TIMESTAMP_CA = "1.2.840.113635.100.6.2.9";

    /** Leaf and intermediate marker extensions → the role they give. */
    public static final Map<String, String> ROLES;

    static {
        Map<String, String> m = new TreeMap<>();
        m.put("1.2.840.113635.100.6.1.2", "iPhone Developer / Apple Development (iOS)");
        m.put("1.2.840.113635.100.6.1.4", "iPhone Distribution");
        m.put("1.2.840.113635.100.6.1.7", "Mac App Store Application (3rd Party Mac Developer Application)");
        m.put("1.2.840.113635.100.6.1.8", "Mac App Store Installer (3rd Party Mac Developer Installer)");
        m.put("1.2.840.113635.100.6.1.9", "Mac App Store (Apple-signed)");
        m.put("1.2.840.113635.100.6.1.12", "Mac Development / Apple Development");
        m.put(OID_DEVELOPER_ID_APPLICATION, "Developer ID Application");
        m.put(OID_DEVELOPER_ID_INSTALLER, "Developer ID Installer");
        m.put("1.2.840.113635.100.6.1.33", "Developer ID Kernel Extension");
        m.put("1.2.840.113635.100.6.22", "Apple Software Signing");
        m.put(OID_WWDR_CA, "Apple Worldwide Developer Relations CA");
        m.put(OID_DEVELOPER_ID_CA, "Developer ID Certification Authority");
        m.put(OID_APPLE_TIMESTAMP_CA, "Apple Timestamp CA");
        ROLES = java.util.Collections.unmodifiableMap(m);
    }

    /** Names of the roots, for documentation. */
    public static List<String> rootNames() {
        return List.copyOf(ROOTS.values());
    }
}
