package dev.purser.cli;

import picocli.CommandLine.Command;

/** {@code purser mandate …}: sign, register, inspect, revoke, verify; an agent's session keys. */
@Command(name = "mandate", mixinStandardHelpOptions = true,
        description = "Sign, register, inspect, revoke and verify spending mandates; create and"
                + " revoke an agent's session keys.",
        subcommands = {SignCommand.class, RegisterCommand.class, InspectCommand.class,
            RevokeCommand.class, VerifyCommand.class, KeyCommand.class, KeyRevokeCommand.class})
final class MandateCommand {
}
