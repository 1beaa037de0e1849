package io.vestige.evidence;

import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that influences how evidence is opened, in one immutable record.
 *
 * @param limits      bounds against hostile input
 * @param diagnostics where recoverable damage is reported
 * @param password    password for encrypted containers (DMG), or {@code null}
 * @param threads     worker threads for parallel decompression (>= 1)
 * @param settings    named extras ({@code engine=tsk}, {@code snapshot=NAME}, {@code xid=N}, {@code tsk.lib=PATH} …)
 */
public record OpenOptions(ParseLimits limits, Diagnostics diagnostics, char[] password, int threads,
                          Map<String, String> settings) {
    public OpenOptions {
        settings = new TreeMap<>(settings);
        threads = Math.max(1, threads);
    }

    public static OpenOptions defaults() {
        return new OpenOptions(ParseLimits.defaults(), new Diagnostics(), null,
                Runtime.getRuntime().availableProcessors(), Map.of());
    }

    public OpenOptions withPassword(char[] pw) {
        return new OpenOptions(limits, diagnostics, pw, threads, settings);
    }

    public OpenOptions withLimits(ParseLimits l) {
        return new OpenOptions(l, diagnostics, password, threads, settings);
    }

    public OpenOptions withDiagnostics(Diagnostics d) {
        return new OpenOptions(limits, d, password, threads, settings);
    }

    public OpenOptions withThreads(int n) {
        return new OpenOptions(limits, diagnostics, password, n, settings);
    }

    public OpenOptions with(String key, String value) {
        Map<String, String> m = new TreeMap<>(settings);
        m.put(key, value);
        return new OpenOptions(limits, diagnostics, password, threads, m);
    }

    public String setting(String key) {
        return settings.get(key);
    }

    /** Convenience for formats that read a password from a file given in settings. */
    public Path passwordFile() {
        String s = settings.get("passwordFile");
        return s == null ? null : Path.of(s);
    }
}
