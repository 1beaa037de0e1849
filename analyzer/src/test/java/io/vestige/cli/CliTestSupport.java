package io.vestige.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the vestige command line in-process and captures what it prints. */
final class CliTestSupport {
    private CliTestSupport() {
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine(false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static byte[] runCat(String... args) {
        CommandLine cl = Main.commandLine(false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CatCommand cat = cl.getSubcommands().get("cat").getCommand();
        cat.out = bytes;
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        if (code != 0) {
            throw new AssertionError("cat failed with " + code + ": " + err);
        }
        return bytes.toByteArray();
    }
}
