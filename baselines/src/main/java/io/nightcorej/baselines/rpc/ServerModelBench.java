package io.nightcorej.baselines.rpc;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Compares the two RPC server models on many short calls: {@link EchoProcessor} behind each model, C client threads
 * each on its own pooled-style persistent framed connection doing back-to-back calls for a fixed time. Server and
 * clients share this JVM (and the machine), identically for both models; models are measured alternately, twice.
 *
 * <p>Usage: {@code java -cp target/baselines.jar io.nightcorej.baselines.rpc.ServerModelBench [seconds] [workers]
 * [connections,...]}. Prints a table, then a JSON line per measurement.
 */
public final class ServerModelBench {
    private ServerModelBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int[] connections = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 4, 16};
        String payload = "x".repeat(64);
        List<String> json = new ArrayList<>();
        System.out.printf("%-10s %5s %12s %9s %9s%n", "model", "conns", "calls/s", "p50 us", "p99 us");
        for (int round = 0; round < 2; round++) {
            for (int c : connections) {
                for (String model : new String[] {"selector", "threadpool"}) {
                    if (c > workers && model.equals("threadpool")) continue; // would block: one thread per connection
                    int port;
                    try (ServerSocket s = new ServerSocket(0)) {
                        port = s.getLocalPort();
                    }
                    TServer server = RpcServers.create(model, new EchoProcessor(), new InetSocketAddress("127.0.0.1", port), workers);
                    Thread serving = new Thread(server::serve, "bench-server");
                    serving.setDaemon(true);
                    serving.start();
                    while (!server.isServing()) Thread.sleep(5);
                    double[] r = run(port, c, seconds, payload);
                    server.stop();
                    serving.join(5000);
                    if (round == 0) continue; // warm-up round
                    System.out.printf("%-10s %5d %12.0f %9.1f %9.1f%n", model, c, r[0], r[1], r[2]);
                    json.add(String.format("{\"model\":\"%s\",\"connections\":%d,\"workers\":%d,\"calls_per_s\":%.0f,"
                        + "\"p50_us\":%.1f,\"p99_us\":%.1f}", model, c, workers, r[0], r[1], r[2]));
                }
            }
        }
        json.forEach(System.out::println);
    }

    /** @return {calls/s, p50 µs, p99 µs}. */
    private static double[] run(int port, int connections, double seconds, String payload) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong calls = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            long[] lat = new long[400_000];
            samples.add(lat);
            Thread t = new Thread(() -> {
                int n = 0;
                try (TSocket socket = new TSocket("127.0.0.1", port, 5000)) {
                    socket.open();
                    socket.getSocket().setTcpNoDelay(true);
                    TBinaryProtocol p = new TBinaryProtocol(new TFramedTransport(socket));
                    while (System.nanoTime() < end && n < lat.length - 1) {
                        long t0 = System.nanoTime();
                        EchoProcessor.call(p, n, payload);
                        lat[++n] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    System.err.println("client failed: " + e);
                } finally {
                    lat[0] = n;
                    calls.addAndGet(n);
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        if (!done.await((long) (seconds * 1000) + 30_000, TimeUnit.MILLISECONDS)) throw new IllegalStateException("clients hung");
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = calls.get();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] lat : samples) {
            int n = (int) lat[0];
            System.arraycopy(lat, 1, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        double p50 = all[(int) (all.length * 0.5)] / 1e3;
        double p99 = all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e3;
        return new double[] {total / elapsed, p50, p99};
    }
}
