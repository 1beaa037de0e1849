package io.vestige.format.plist;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.util.Map;

/**
 * The facts of a bundle's {@code Contents/Info.plist} that identify it, with the whole dict kept
 * in {@code raw}. Absent or mistyped keys are {@code null} (a missing identifier is itself a fact).
 * Keys as documented in Apple's "Information Property List Key Reference".
 *
 * @param bundleIdentifier     {@code CFBundleIdentifier}
 * @param executable           {@code CFBundleExecutable} (file name under {@code Contents/MacOS})
 * @param name                 {@code CFBundleName}
 * @param displayName          {@code CFBundleDisplayName}
 * @param shortVersion         {@code CFBundleShortVersionString}
 * @param version              {@code CFBundleVersion}
 * @param packageType          {@code CFBundlePackageType} ({@code APPL}, {@code BNDL} …)
 * @param minimumSystemVersion {@code LSMinimumSystemVersion}
 * @param uiElement            {@code LSUIElement} (an agent app without Dock icon), {@code null} if absent
 * @param backgroundOnly       {@code LSBackgroundOnly}, {@code null} if absent
 */
public record InfoPlist(String bundleIdentifier, String executable, String name, String displayName,
                        String shortVersion, String version, String packageType, String minimumSystemVersion,
                        Boolean uiElement, Boolean backgroundOnly, Map<String, Object> raw) {

    public static InfoPlist parse(byte[] bytes) throws ParseException {
        Object o = PropertyList.parse(bytes);
        if (!(o instanceof Map<?, ?>)) {
            throw MalformedException.expected("Info.plist", 0, "root object", "dict", PropertyList.typeName(o));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return from(m);
    }

    public static InfoPlist from(Map<String, Object> m) {
        return new InfoPlist(str(m, "CFBundleIdentifier"), str(m, "CFBundleExecutable"), str(m, "CFBundleName"),
                str(m, "CFBundleDisplayName"), str(m, "CFBundleShortVersionString"), str(m, "CFBundleVersion"),
                str(m, "CFBundlePackageType"), str(m, "LSMinimumSystemVersion"), bool(m, "LSUIElement"),
                bool(m, "LSBackgroundOnly"), m);
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof String s ? s : null;
    }

    /** Apple's readers accept booleans, and strings or numbers that mean one ({@code "1"}, {@code "YES"}). */
    private static Boolean bool(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(java.util.Locale.ROOT);
            return t.equals("1") || t.equals("yes") || t.equals("true");
        }
        return null;
    }
}
