package dev.purser.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code purser}: the entry point of the principal's command line. */
@Command(name = "purser", mixinStandardHelpOptions = true, version = "purser 0.1.0",
        description = "Issue and revoke Purser spending mandates; call any A2A agent.",
        subcommands = {KeygenCommand.class, MandateCommand.class, CallCommand.class})
public final class PurserCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests redirect its output with setOut/setErr. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PurserCli());
        // A principal needs the reason, not a stack trace: a bad address, an unreadable key file,
        // a server that does not answer.
        commandLine.setExecutionExceptionHandler((exception, command, parsed) -> {
            command.getErr().println("purser: " + (exception.getMessage() != null
                    ? exception.getMessage() : exception.getClass().getSimpleName()));
            return 2;
        });
        return commandLine;
    }
}
