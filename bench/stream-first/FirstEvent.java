import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streaming latency client: A2A 0.3 {@code message/stream} (JSON-RPC over SSE) to an echo agent,
 * C keep-alive connections each sending one stream after the other, N streams in all. Times, per
 * stream, from the request's last byte written to the first SSE event read (the task) and to the
 * stream's end (the completed status), and prints p50/p90/p99/max of both in ms. Plain sockets
 * and a minimal chunked-SSE reader, so the client adds as little as it can to what it times.
 * Single file: {@code java FirstEvent.java URL N C}; exits 1 if a stream did not complete.
 */
public class FirstEvent {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int total = Integer.parseInt(args[1]);
        int conns = Integer.parseInt(args[2]);
        long[] first = new long[total];
        long[] end = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(conns)) {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < conns; c++) {
                int worker = c;
                all.add(pool.submit(() -> {
                    Socket s = null;
                    InputStream in = null;
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        try {
                            if (s == null) {
                                s = new Socket(url.getHost(), url.getPort());
                                s.setTcpNoDelay(true);
                                in = new BufferedInputStream(s.getInputStream());
                            }
                            long[] t = stream(s, in, url, "fe-" + ProcessHandle.current().pid() + "-" + worker + "-" + i);
                            first[i] = t[0];
                            end[i] = t[1];
                        } catch (IOException | RuntimeException e) {
                            failed.incrementAndGet();
                            first[i] = end[i] = -1;
                            System.err.println("stream " + i + ": " + e);
                            close(s);
                            s = null;
                        }
                    }
                    close(s);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("streams %d c %d failed %d streams/s %.0f | first event ms %s | end ms %s%n",
                total, conns, failed.get(), total / secs, pct(first), pct(end));
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    /** One stream on {@code s}: nanoseconds to its first event and to its end. */
    static long[] stream(Socket s, InputStream in, URI url, String id) throws IOException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/stream\",\"params\":{\"message\":"
                + "{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"" + id + "\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"first " + id + "\"}]}}}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
                + b.length + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(head.getBytes(StandardCharsets.US_ASCII));
        req.write(b);
        out.write(req.toByteArray());
        out.flush();
        long sent = System.nanoTime();
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("status " + status);
        }
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            chunked |= h.toLowerCase().startsWith("transfer-encoding:") && h.toLowerCase().contains("chunked");
        }
        if (!chunked) {
            throw new IOException("not a chunked event stream");
        }
        long firstAt = 0;
        StringBuilder pending = new StringBuilder();
        String lastData = "";
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                line(in); // the empty line after the last chunk
                break;
            }
            byte[] chunk = in.readNBytes(size);
            line(in);
            pending.append(new String(chunk, StandardCharsets.UTF_8));
            for (int nl; (nl = pending.indexOf("\n")) >= 0; ) {
                String l = pending.substring(0, nl);
                pending.delete(0, nl + 1);
                if (l.startsWith("data:")) {
                    if (firstAt == 0) {
                        firstAt = System.nanoTime();
                    }
                    lastData = l;
                }
            }
        }
        long endAt = System.nanoTime();
        if (firstAt == 0 || !lastData.contains("\"completed\"") || lastData.contains("\"error\"")) {
            throw new IOException("stream did not complete: " + lastData);
        }
        return new long[] {firstAt - sent, endAt - sent};
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static String pct(long[] ns) {
        long[] v = Arrays.stream(ns).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        return String.format("p50 %.2f p90 %.2f p99 %.2f max %.2f", v[v.length / 2] / 1e6,
                v[v.length * 9 / 10] / 1e6, v[v.length * 99 / 100] / 1e6, v[v.length - 1] / 1e6);
    }

    private static void close(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
