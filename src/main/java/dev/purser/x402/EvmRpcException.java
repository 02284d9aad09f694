package dev.purser.x402;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A chain node call that did not give a usable result. {@link #answered()} tells the two kinds
 * apart, which settlement must: a JSON-RPC error object is the node's definite answer (a revert, a
 * rejected transaction), while a timeout or a broken connection says nothing about what happened.
 */
public final class EvmRpcException extends IOException {

    private final OptionalLong code;

    private EvmRpcException(String message, OptionalLong code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The node answered with a JSON-RPC error object. */
    static EvmRpcException answer(long code, String message) {
        return new EvmRpcException(message, OptionalLong.of(code), null);
    }

    /** No usable answer: transport failure, timeout, or something that is not JSON-RPC. */
    static EvmRpcException noAnswer(String message, Throwable cause) {
        return new EvmRpcException(message, OptionalLong.empty(), cause);
    }

    /** Whether the node itself refused (true) rather than the call failing on the way (false). */
    public boolean answered() {
        return code.isPresent();
    }

    public OptionalLong code() {
        return code;
    }
}
