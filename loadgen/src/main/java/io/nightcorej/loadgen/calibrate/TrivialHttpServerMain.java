package io.nightcorej.loadgen.calibrate;

import java.util.concurrent.CountDownLatch;

import io.netty.util.ResourceLeakDetector;

/**
 * Runs {@link TrivialHttpServer} as its own process (the calibration child, started under {@code taskset -c 1}).
 * Prints {@code {"url":"http://127.0.0.1:PORT/","pid":N}} when listening, then serves until stdin closes or the
 * process is terminated, so it never outlives a parent that dies.
 */
public final class TrivialHttpServerMain {
    private TrivialHttpServerMain() {
    }

    /**
     * @param args {@code [port] [--busy-poll]} (port 0 = any).
     * @throws Exception on bind failure.
     */
    public static void main(final String[] args) throws Exception {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        final boolean busyPoll = args.length > 1 && "--busy-poll".equals(args[1]);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        final TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context().port(port).busyPoll(busyPoll));
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("{\"url\":\"" + server.url() + "\",\"pid\":" + ProcessHandle.current().pid()
            + ",\"epoll\":" + server.epoll() + ",\"busy_poll\":" + busyPoll + "}");
        System.out.flush();
        final Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Keep reading until the parent closes our stdin.
                    continue;
                }
            } catch (java.io.IOException ignored) {
                // Parent gone.
            }
            stop.countDown();
        }, "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
        stop.await();
        server.close();
    }
}
