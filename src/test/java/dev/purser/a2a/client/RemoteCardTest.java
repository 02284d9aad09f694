package dev.purser.a2a.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading other agents' cards, and folding a stream's events into its task. */
class RemoteCardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI AT = URI.create("https://agent.example/.well-known/agent-card.json");

    private static RemoteCard parse(String json) throws Exception {
        return RemoteCard.parse(AT, JSON.readTree(json));
    }

    @Test
    void aPlain03CardHasItsUrlAndAdditionalJsonRpcInterfaces() throws Exception {
        RemoteCard card = parse("""
                {"name":"old","url":"https://agent.example/rpc","protocolVersion":"0.3.0",
                 "capabilities":{"streaming":false},
                 "additionalInterfaces":[{"url":"https://agent.example/grpc","transport":"GRPC"},
                   {"url":"https://agent.example/rpc2","transport":"JSONRPC"}],
                 "skills":[{"id":"a"},{"id":"b"}]}""");
        assertEquals(A2aVersion.V0_3, card.endpoint().version());
        assertEquals(List.of(URI.create("https://agent.example/rpc"),
                URI.create("https://agent.example/rpc2")),
                card.endpoints().stream().map(AgentEndpoint::url).toList());
        assertFalse(card.endpoint().streaming());
        assertTrue(card.endpoint(A2aVersion.V1_0).isEmpty());
        assertEquals(List.of("a", "b"), card.skillIds());
    }

    @Test
    void aUnionCardPrefers10AndKeepsEachInterfaceOnce() throws Exception {
        RemoteCard card = parse("""
                {"name":"both","url":"https://a.example/api","protocolVersion":"0.3.0",
                 "supportedInterfaces":[
                   {"url":"https://a.example/api","protocolBinding":"JSONRPC",
                    "protocolVersion":"1.0"},
                   {"url":"https://a.example/api","protocolBinding":"JSONRPC",
                    "protocolVersion":"0.3"}],
                 "capabilities":{"streaming":true}}""");
        assertEquals(2, card.endpoints().size());
        assertEquals(A2aVersion.V1_0, card.endpoint().version());
        assertTrue(card.streaming());
    }

    @Test
    void aCardWithoutNameOrJsonRpcInterfaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> parse("{\"url\":\"https://x/\"}"));
        assertThrows(IllegalArgumentException.class, () -> parse("""
                {"name":"grpc only","supportedInterfaces":[{"url":"x:1","protocolBinding":"GRPC",
                 "protocolVersion":"1.0"}]}"""));
        assertThrows(IllegalArgumentException.class, () -> parse("""
                {"name":"future","supportedInterfaces":[{"url":"https://x/","protocolBinding":
                 "JSONRPC","protocolVersion":"2.0"}]}"""));
    }

    @Test
    void versionsIgnorePatchDigits() {
        assertEquals(A2aVersion.V0_3, A2aVersion.parse("0.3.0").orElseThrow());
        assertEquals(A2aVersion.V1_0, A2aVersion.parse("1.0.1").orElseThrow());
        assertTrue(A2aVersion.parse("0.2.5").isEmpty());
        assertTrue(A2aVersion.parse("one").isEmpty());
    }

    @Test
    void streamedChunksAppendToTheirArtifactAndStatusesReplace() {
        Artifact first = new Artifact("a1", "n", null, List.of(Part.text("chunk-1 ")), null, null);
        Artifact second = new Artifact("a1", "n", null, List.of(Part.text("chunk-2")), null, null);
        SendResult r = A2aClient.fold(null, new StreamEvent.StatusUpdate("t", "c",
                new TaskStatus(TaskState.WORKING, null, Instant.now())));
        r = A2aClient.fold(r, new StreamEvent.ArtifactUpdate("t", "c", first, false, false));
        r = A2aClient.fold(r, new StreamEvent.ArtifactUpdate("t", "c", second, true, true));
        r = A2aClient.fold(r, new StreamEvent.StatusUpdate("t", "c",
                new TaskStatus(TaskState.COMPLETED, null, Instant.now())));
        SendResult.OfTask t = (SendResult.OfTask) r;
        assertEquals(TaskState.COMPLETED, t.task().state());
        assertEquals(1, t.task().artifacts().size());
        assertEquals(List.of("chunk-1 ", "chunk-2"), t.task().artifacts().getFirst().parts()
                .stream().map(Part::text).toList());
    }
}
