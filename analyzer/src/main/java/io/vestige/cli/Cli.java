package io.vestige.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Shared command-line behaviour: one-line error messages that say what to do next (stack traces
 * only with {@code --debug}), the exit-code mapping, and the JSON writer for {@code --json} output.
 */
public final class Cli {
    private Cli() {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .findAndAddModules()
            .build();

    /** The mapper for {@code --json} output: sorted map keys, ISO dates. */
    public static ObjectMapper json() {
        return JSON;
    }

    static boolean debug(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                return true;
            }
        }
        return System.getenv("VESTIGE_DEBUG") != null;
    }

    /** The output folder cannot be created or written. */
    static final class OutputException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Creates the output folder or throws {@link OutputException} saying why it cannot be. */
    static void prepareOutput(java.nio.file.Path out) throws OutputException {
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new OutputException("--out " + out + " is a file; give a folder (it is created if missing)", null);
        }
        try {
            java.nio.file.Files.createDirectories(out);
            if (!java.nio.file.Files.isWritable(out)) {
                throw new OutputException("cannot write to the output folder " + out, null);
            }
        } catch (IOException e) {
            throw new OutputException("cannot create the output folder " + out + " ("
                    + e.getClass().getSimpleName().replace("Exception", "") + ")", e);
        }
    }

    /** Maps exceptions escaping a command to a one-line message and an exit code. */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        private final boolean debug;

        ErrorHandler(boolean debug) {
            this.debug = debug;
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            if (debug) {
                ex.printStackTrace(err);
            }
            int code;
            String hint;
            if (ex instanceof OutputException) {
                code = ExitCodes.CANT_CREATE;
                hint = "choose an output folder you can write to";
            } else if (ex instanceof io.vestige.format.udif.DmgPasswordException pe) {
                code = ExitCodes.DATA_ERROR;
                hint = pe.passwordRequired() ? "the image is encrypted: supply --password or --password-file FILE"
                        : "the password does not open this image: check it and try again";
            } else if (ex instanceof LimitExceededException le) {
                code = ExitCodes.DATA_ERROR;
                hint = "if the evidence is genuine, raise the limit with --limit " + le.setting() + "=N";
            } else if (ex instanceof ParseException) {
                code = ExitCodes.DATA_ERROR;
                hint = "the evidence is damaged or of an unsupported variant; run with --debug for details";
            } else if (ex instanceof NoSuchFileException nf) {
                code = ExitCodes.NO_INPUT;
                hint = "check the path '" + nf.getFile() + "'";
            } else if (ex instanceof AccessDeniedException ad) {
                code = ExitCodes.NO_INPUT;
                hint = "check the permissions of '" + ad.getFile() + "'";
            } else if (ex instanceof FileSystemException || ex instanceof IOException) {
                code = ExitCodes.IO_ERROR;
                hint = "check the input and output paths and free disk space";
            } else if (ex instanceof IllegalArgumentException) {
                code = ExitCodes.USAGE;
                hint = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
            } else {
                code = ExitCodes.INTERNAL;
                hint = "this is a bug in vestige; please report it with the output of --debug";
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            if (ex instanceof FileSystemException fse && fse.getReason() == null) {
                String what = switch (ex.getClass().getSimpleName()) {
                    case "NoSuchFileException" -> "no such file or folder";
                    case "FileAlreadyExistsException" -> "already exists";
                    case "NotDirectoryException" -> "not a folder";
                    case "DirectoryNotEmptyException" -> "folder not empty";
                    case "AccessDeniedException" -> "permission denied";
                    default -> ex.getClass().getSimpleName();
                };
                msg = fse.getFile() + ": " + what;
            }
            err.println("vestige: error: " + msg.replace('\n', ' '));
            err.println("vestige: " + hint);
            err.flush();
            return code;
        }
    }
}
