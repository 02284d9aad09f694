package dev.purser.cli;

import picocli.CommandLine.Command;

/** {@code purser mandate …}: sign, revoke, verify, inspect. */
@Command(name = "mandate", mixinStandardHelpOptions = true,
        description = "Sign, revoke, verify and inspect spending mandates.",
        subcommands = {SignCommand.class, RevokeCommand.class, VerifyCommand.class,
            InspectCommand.class})
final class MandateCommand {
}
