package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI in the test's JVM: its exit code and what it printed to out and err. */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PurserCli.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The JSON answer the command printed after its own lines. */
    JsonNode answer() throws IOException {
        return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    }
}
