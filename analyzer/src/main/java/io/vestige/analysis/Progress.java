package io.vestige.analysis;

import java.io.PrintStream;

/**
 * Progress of long work on a terminal: one status line on stderr, rewritten in place, at most a
 * few times a second. Silent when stderr is not a terminal (pipes, CI, batch logs) unless a
 * machine-readable line mode is chosen.
 */
public class Progress {
    /** A progress sink that says nothing. */
    public static final Progress NONE = new Progress(null, false);

    private final PrintStream out;
    private final boolean lines;
    private long lastPrint;
    private int lastLength;

    public Progress(PrintStream out, boolean machineLines) {
        this.out = out;
        this.lines = machineLines;
    }

    /** A progress display on stderr when the process has a console. */
    public static Progress terminal() {
        return System.console() != null ? new Progress(System.err, false) : NONE;
    }

    /** Reports the current step; rate-limited unless {@code force}. */
    public synchronized void status(String text, boolean force) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastPrint < 200_000_000L) {
            return;
        }
        lastPrint = now;
        if (lines) {
            out.println("progress\t" + text);
            return;
        }
        String line = text.length() > 110 ? text.substring(0, 107) + "..." : text;
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        lastLength = line.length();
        out.print(sb);
        out.flush();
    }

    public void status(String text) {
        status(text, false);
    }

    /** Ends the status line. */
    public synchronized void done() {
        if (out != null && !lines && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
