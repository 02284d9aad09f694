package dev.purser.cli;

import picocli.CommandLine.Command;

/**
 * {@code purser mandate …}: sign, register, inspect, revoke, verify; a principal's envelope
 * policy; an agent's session keys; AP2 mandates, delegations and payments.
 */
@Command(name = "mandate", mixinStandardHelpOptions = true,
        description = "Sign, register, inspect, revoke and verify spending mandates; sign an"
                + " envelope policy; create and revoke an agent's session keys; issue, delegate"
                + " and pay with AP2 mandates.",
        subcommands = {SignCommand.class, RegisterCommand.class, InspectCommand.class,
            RevokeCommand.class, PolicyCommand.class, VerifyCommand.class, KeyCommand.class,
            KeyRevokeCommand.class, Ap2OpenCommand.class, Ap2DelegateCommand.class,
            Ap2CloseCommand.class})
final class MandateCommand {
}
