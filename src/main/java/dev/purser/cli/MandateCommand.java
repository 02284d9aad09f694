package dev.purser.cli;

import picocli.CommandLine.Command;

/**
 * {@code purser mandate …}: sign, register, inspect, revoke, verify; a principal's envelope
 * policy; an agent's session keys.
 */
@Command(name = "mandate", mixinStandardHelpOptions = true,
        description = "Sign, register, inspect, revoke and verify spending mandates; sign an"
                + " envelope policy; create and revoke an agent's session keys.",
        subcommands = {SignCommand.class, RegisterCommand.class, InspectCommand.class,
            RevokeCommand.class, PolicyCommand.class, VerifyCommand.class, KeyCommand.class,
            KeyRevokeCommand.class})
final class MandateCommand {
}
