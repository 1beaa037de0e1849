package io.vestige.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code vestige} command. */
@Command(name = "vestige", mixinStandardHelpOptions = true, version = "vestige 0.1.0",
        description = "Offline evidence analyzer for macOS incident response.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
