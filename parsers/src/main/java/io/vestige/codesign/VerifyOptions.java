package io.vestige.codesign;

import io.vestige.io.ParseLimits;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Options of a verification.
 *
 * @param trustAnchors   extra anchors the examiner supplies ({@code --trust-anchor}); chains ending there are
 *                       reported with anchor kind {@code user-supplied}, never as Apple
 * @param limits         bounds against hostile input
 * @param maxNestingDepth how deep nested code (frameworks, helpers, XPC services) is followed
 * @param checkResources whether bundle resources are hashed (off = signature and slots only)
 */
public record VerifyOptions(List<X509Certificate> trustAnchors, ParseLimits limits, int maxNestingDepth,
                            boolean checkResources) {
    public VerifyOptions {
        trustAnchors = List.copyOf(trustAnchors);
        maxNestingDepth = Math.max(0, maxNestingDepth);
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(List.of(), ParseLimits.defaults(), 8, true);
    }

    public VerifyOptions withTrustAnchors(List<X509Certificate> anchors) {
        return new VerifyOptions(anchors, limits, maxNestingDepth, checkResources);
    }

    public VerifyOptions withLimits(ParseLimits l) {
        return new VerifyOptions(trustAnchors, l, maxNestingDepth, checkResources);
    }
}
