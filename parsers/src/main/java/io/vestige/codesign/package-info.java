/**
 * Offline verification of Apple code signatures: SuperBlob, CodeDirectory (0x20001–0x20600, SHA-1,
 * SHA-256, SHA-256/20, SHA-384, alternates), requirements (decoded, rendered in Apple's language,
 * evaluated), entitlements, launch constraints, the detached CMS with Apple's cdhash attributes,
 * the certificate chain pinned to Apple's roots, RFC 3161 timestamps, and bundles (Info.plist,
 * CodeResources, nested code). Entry point: {@link io.vestige.codesign.CodeSignatureVerifier}.
 * Spec: xnu {@code osfmk/kern/cs_blobs.h}; FORMATS.md section 5.
 *
 * <p>Not checked (offline by nature): certificate revocation (OCSP/CRL), notarization status at
 * Apple, the Apple signature inside a stapled ticket.
 */
package io.vestige.codesign;
