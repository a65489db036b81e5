package io.nightcorej.ci;

import io.nightcorej.baselines.rpc.EchoProcessor;
import org.HdrHistogram.Histogram;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one RPC hop: sequential Thrift echo calls from this process to {@link RpcEchoServerMain} in a child
 * process over loopback TCP, the way one RPC baseline service calls another. Warm-up calls are discarded.
 */
public final class RpcHopBench {
    /** p50/p99 of one repetition, µs. */
    public record Result(double p50Us, double p99Us, long calls) {
    }

    private RpcHopBench() {
    }

    public static Result run(Path jar, int payloadBytes, Duration warmup, Duration measure) throws IOException {
        List<String> argv = new ArrayList<>(List.of(javaBin(), "-cp", jar.toString(),
            RpcEchoServerMain.class.getName()));
        Process server = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("{\"port\":")) {
                throw new IOException("rpc echo server did not report a port: " + line);
            }
            int port = Integer.parseInt(line.replaceAll("\\D", ""));
            return measure(port, payloadBytes, warmup, measure);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("rpc echo server did not start within 20 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            server.getOutputStream().close();
            try {
                if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static Result measure(int port, int payloadBytes, Duration warmup, Duration measure) throws IOException {
        String payload = "x".repeat(payloadBytes);
        Histogram h = new Histogram(60_000_000L, 3);
        try (TSocket socket = new TSocket("127.0.0.1", port, 5_000)) {
            socket.open();
            socket.getSocket().setTcpNoDelay(true);
            TBinaryProtocol p = new TBinaryProtocol(new TFramedTransport(socket));
            int seq = 0;
            long warmEnd = System.nanoTime() + warmup.toNanos();
            while (System.nanoTime() < warmEnd) EchoProcessor.call(p, ++seq, payload);
            long end = System.nanoTime() + measure.toNanos();
            long now;
            while ((now = System.nanoTime()) < end) {
                EchoProcessor.call(p, ++seq, payload);
                h.recordValue(Math.max(1, (System.nanoTime() - now) / 1000));
            }
        } catch (TException | java.net.SocketException e) {
            throw new IOException("rpc hop bench failed: " + e, e);
        }
        return new Result(h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getTotalCount());
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
