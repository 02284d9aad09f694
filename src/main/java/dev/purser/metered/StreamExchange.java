package dev.purser.metered;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands a streamed call from the thread running its paid flow to the request's: the answer's
 * head is decided once — an error before any byte, or a 200 stream at the first byte — and the
 * events follow through a bounded queue (a slow reader slows the upstream's reading, it does not
 * fill memory). When the caller goes away the flow hears it on its next send.
 */
final class StreamExchange implements ModelWork.StreamSink, StreamingOutput {

    private static final byte[] END = new byte[0];
    private static final int QUEUE = 1024;

    private final CompletableFuture<Response> head = new CompletableFuture<>();
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(QUEUE);
    private final Runnable onOpen;
    private final long sendTimeoutNanos;
    private volatile boolean gone;

    /**
     * @param onOpen runs before the first byte is released (the call is then charged even if
     *     the server dies)
     * @param sendTimeoutMillis how long a send waits for a reader that takes nothing
     */
    StreamExchange(Runnable onOpen, long sendTimeoutMillis) {
        this.onOpen = onOpen;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    }

    CompletableFuture<Response> head() {
        return head;
    }

    boolean opened() {
        return head.isDone() && !head.isCompletedExceptionally()
                && head.getNow(null) != null && head.getNow(null).getStatus() == 200;
    }

    @Override
    public void open() {
        onOpen.run();
        head.complete(Response.ok(this, "text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build());
    }

    @Override
    public boolean send(String event) {
        return put(event.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the stream after {@code last} (the trailer and {@code [DONE]}). */
    void finish(String last) {
        if (last != null) {
            put(last.getBytes(StandardCharsets.UTF_8));
        }
        end();
    }

    /** The call ended before its first byte: the caller gets {@code answer}, no stream. */
    void refuse(Response answer) {
        head.complete(answer);
        end();
    }

    private void end() {
        // the reader may be gone: never wait long to say the end
        try {
            queue.offer(END, 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean put(byte[] bytes) {
        long deadline = System.nanoTime() + sendTimeoutNanos;
        try {
            while (!gone) {
                if (queue.offer(bytes, 200, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    gone = true; // a reader that takes nothing for this long is not reading
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = true;
        }
        return false;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        try {
            while (true) {
                byte[] next = queue.poll(1, TimeUnit.SECONDS);
                if (next == END) {
                    return;
                }
                if (next != null) {
                    out.write(next);
                    out.flush();
                }
            }
        } catch (IOException e) {
            gone = true;
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = true;
        } finally {
            queue.clear();
        }
    }
}
