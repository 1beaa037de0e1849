package io.vestige.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Version and build facts, read from {@code vestige-version.properties} written at build time. */
public final class Version implements CommandLine.IVersionProvider {
    private static final Properties PROPS = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/vestige-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall back to defaults below
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String commit() {
        return PROPS.getProperty("commit", "unknown");
    }

    /** Versions of the libraries that read evidence and write reports, for the report cover. */
    public static java.util.Map<String, String> dependencies() {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        for (String k : PROPS.stringPropertyNames()) {
            if (k.startsWith("dep.")) {
                m.put(k.substring(4), PROPS.getProperty(k));
            }
        }
        return m;
    }

    public static io.vestige.reports.Report.ToolInfo toolInfo() {
        return io.vestige.analysis.ReportOutput.toolInfo(version(), commit(), dependencies());
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vestige " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vendor")};
    }
}
