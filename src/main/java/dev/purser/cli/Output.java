package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a signed document goes: a file, standard output, and optionally a Purser server. */
final class Output {

    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--out", description = "Write the signed JSON here (default: standard output).")
    Optional<Path> out;

    @Option(names = "--post", paramLabel = "URL",
            description = "Also send it to the Purser server at this base URL, "
                    + "e.g. http://localhost:8080.")
    Optional<URI> post;

    /**
     * Writes {@code document}; prints {@code label: value} to standard output if the document
     * went to a file, else to standard error, so that stdout stays valid JSON for pipes.
     */
    void write(JsonNode document, String label, String value, PrintWriter stdout,
            PrintWriter stderr) throws IOException {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        if (out.isPresent()) {
            Files.writeString(out.get(), text, StandardCharsets.UTF_8);
            stdout.println(label + ": " + value);
        } else {
            stdout.print(text);
            stdout.flush();
            stderr.println(label + ": " + value);
        }
    }

    /**
     * Sends it with {@code method} (POST, or PUT for a policy) to {@code path} when
     * {@code --post} was given; the exit code is 0 for any 2xx.
     */
    int send(String method, String path, JsonNode document, PrintWriter stdout,
            PrintWriter stderr) throws IOException, InterruptedException {
        if (post.isEmpty()) {
            return 0;
        }
        return Http.exchange(HttpRequest.newBuilder(resolve(post.get(), path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(document)))
                .timeout(Duration.ofSeconds(30)).build(), stdout, stderr);
    }

    static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text)
                + path);
    }

    /** One request, its status on stderr and its body on stdout. */
    static final class Http {

        private Http() {
        }

        static int exchange(HttpRequest request, PrintWriter stdout, PrintWriter stderr)
                throws IOException, InterruptedException {
            try (HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                HttpResponse<String> response;
                try {
                    response = client.send(request,
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (java.net.ConnectException e) {
                    throw new IOException("cannot connect to " + request.uri()
                            + "; is the server running?", e);
                }
                stderr.println(request.method() + " " + request.uri() + " -> "
                        + response.statusCode());
                stdout.println(response.body());
                return response.statusCode() / 100 == 2 ? 0 : 1;
            }
        }
    }
}
