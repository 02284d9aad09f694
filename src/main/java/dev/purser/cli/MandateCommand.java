package dev.purser.cli;

import picocli.CommandLine.Command;

/** {@code purser mandate …}: sign, register, inspect, revoke, verify. */
@Command(name = "mandate", mixinStandardHelpOptions = true,
        description = "Sign, register, inspect, revoke and verify spending mandates.",
        subcommands = {SignCommand.class, RegisterCommand.class, InspectCommand.class,
            RevokeCommand.class, VerifyCommand.class})
final class MandateCommand {
}
