package io.vestige.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code vestige} command. Subcommands are registered here, explicitly. */
@Command(name = "vestige", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Offline evidence analyzer for macOS incident response.",
        subcommands = {AnalyzeCommand.class, BatchCommand.class, DemoCommand.class, VerifyCommand.class, CodesignCommand.class,
            LogCommand.class, FseventsCommand.class, CrossCheckCommand.class, InfoCommand.class, LsCommand.class, CatCommand.class, VerifyReportCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (verify: hashes match)",
            "1:negative result (hash mismatch, invalid signature, report altered)",
            "2:not determinable (no stored hash, unsigned)",
            "64:usage error", "65:malformed or unsupported evidence", "66:input not found or unreadable",
            "70:internal error (a bug; rerun with --debug and report it)", "73:output cannot be created",
            "74:other I/O error"},
        footerHeading = "%nGlobal option:%n",
        footer = "  --debug   print stack traces on errors (any command)")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        // --debug works with every command: it is taken out before parsing
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        return commandLine(Cli.debug(args)).execute(rest);
    }

    public static CommandLine commandLine(boolean debug) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Cli.ErrorHandler(debug));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("vestige: " + ex.getMessage());
            c.getErr().println("vestige: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
