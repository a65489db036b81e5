package io.nightcorej.socialnetwork.loader;

import io.nightcorej.microservices.common.transport.KeepAliveHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * DeathStarBench's {@code init_social_graph.py} against a running front end, through the public HTTP API only:
 * registers every user ({@code POST /wrk2-api/user/register}, {@code username_<i>}), then follows both directions of
 * every edge by username ({@code POST /wrk2-api/user/follow}, which also warms the {@code <username>:user_id}
 * cache as upstream's loader does), then optionally composes posts.
 *
 * <p>Options (all optional): {@code dataset} (an {@code .edges} file; default the bundled socfb-Reed98),
 * {@code id_base} (1 = NC's 1-based ids, matching the load generator's 1..962; 0 = upstream's), {@code concurrency}
 * (keep-alive connections, each with one request in flight, default 32), {@code compose_posts} (total posts to
 * compose, default 0), {@code seed} (default 1), {@code timeout_s} (whole load, default 300), {@code follow_by}
 * ({@code username}, as both upstream's and NC's loaders do, or {@code id}, which skips the two {@code GetUserId}
 * calls per follow). A user that already
 * exists counts as registered, so a load can be re-run against a loaded stack.
 */
public final class SocialGraphLoader {

    static final String BUNDLED_EDGES = "datasets/socfb-Reed98/socfb-Reed98.edges";
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int MAX_REPORTED_FAILURES = 5;
    private static final int ATTEMPTS = 3;
    private static final long RETRY_DELAY_MS = 200;
    private static final String FORM = "application/x-www-form-urlencoded";

    private final URI frontend;
    private final List<long[]> edges;
    private final int nodes;
    private final int idBase;
    private final int concurrency;
    private final int composePosts;
    private final long seed;
    private final long timeoutNanos;
    private final boolean followByUsername;

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private volatile String phase = "register";
    private long lastProgressNanos = System.nanoTime();

    /** What a load did. */
    public record Result(int users, int edges, long follows, int posts, long failures, double seconds) {
        /** @return the result as one JSON line. */
        public String toJson() {
            return String.format("{\"users\":%d,\"edges\":%d,\"follows\":%d,\"posts\":%d,\"failures\":%d,\"seconds\":%.3f}",
                    users, edges, follows, posts, failures, seconds);
        }
    }

    SocialGraphLoader(final URI frontend, final List<long[]> edges, final int nodes, final int idBase,
            final int concurrency, final int composePosts, final long seed, final long timeoutSeconds,
            final boolean followByUsername) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.frontend = frontend;
        this.edges = edges;
        this.nodes = nodes;
        this.idBase = idBase;
        this.concurrency = concurrency;
        this.composePosts = composePosts;
        this.seed = seed;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.followByUsername = followByUsername;
    }

    /** @return a loader configured from workload options (see the class comment). */
    public static SocialGraphLoader fromOptions(final URI frontend, final Map<String, String> options) throws IOException {
        for (final String key : options.keySet()) {
            if (!List.of("dataset", "id_base", "concurrency", "compose_posts", "seed", "timeout_s", "follow_by").contains(key)) {
                throw new IllegalArgumentException("unknown socialnetwork load option '" + key
                        + "'; known: dataset, id_base, concurrency, compose_posts, seed, timeout_s, follow_by");
            }
        }
        final String dataset = options.get("dataset");
        final List<long[]> edges;
        if (dataset == null) {
            try (InputStream in = SocialGraphLoader.class.getClassLoader().getResourceAsStream(BUNDLED_EDGES)) {
                if (in == null) {
                    throw new IOException("bundled data set " + BUNDLED_EDGES + " is missing from the class path");
                }
                edges = parseEdges(in);
            }
        } else {
            try (InputStream in = Files.newInputStream(Path.of(dataset))) {
                edges = parseEdges(in);
            }
        }
        int maxId = -1;
        for (final long[] e : edges) {
            maxId = (int) Math.max(maxId, Math.max(e[0], e[1]));
        }
        return new SocialGraphLoader(frontend, edges, maxId + 1,
                Integer.parseInt(options.getOrDefault("id_base", "1")),
                Integer.parseInt(options.getOrDefault("concurrency", "32")),
                Integer.parseInt(options.getOrDefault("compose_posts", "0")),
                Long.parseLong(options.getOrDefault("seed", "1")),
                Long.parseLong(options.getOrDefault("timeout_s", "300")),
                followBy(options.getOrDefault("follow_by", "username")));
    }

    private static boolean followBy(final String value) {
        return switch (value) {
            case "username" -> true;
            case "id" -> false;
            default -> throw new IllegalArgumentException("follow_by must be username or id, not '" + value + "'");
        };
    }

    /** @return 0-based edges {@code a b}, one per line; blank lines and {@code %}/{@code #} comments skipped. */
    static List<long[]> parseEdges(final InputStream in) throws IOException {
        final List<long[]> edges = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                line = line.trim();
                if (line.isEmpty() || line.startsWith("%") || line.startsWith("#")) {
                    continue;
                }
                final String[] parts = line.split("[\\s,]+");
                if (parts.length < 2) {
                    throw new IOException("edges line " + lineNo + ": expected 'a b', got '" + line + "'");
                }
                edges.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
            }
        }
        return edges;
    }

    /** One request of a phase: the path and the form body. */
    private record Request(String path, String body) {
    }

    /**
     * Runs the load.
     *
     * @return what was done.
     * @throws Exception when any request failed or the load ran out of time; the message names the first failures.
     */
    public Result load() throws Exception {
        final long started = System.nanoTime();
        final long deadline = started + timeoutNanos;
        final int readTimeoutMs = (int) Math.min(30_000, Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        try (KeepAliveHttpClient http = new KeepAliveHttpClient(frontend.toString(), 10_000, readTimeoutMs, concurrency)) {
            runPhase("register", http, deadline, nodes, i -> {
                final long id = i + idBase;
                return new Request("/wrk2-api/user/register", "first_name=first_name_" + id + "&last_name=last_name_" + id
                        + "&username=username_" + id + "&password=password_" + id + "&user_id=" + id);
            });
            // both directions of edge k are requests 2k and 2k+1, sent in the order of the edges file
            runPhase("follow", http, deadline, 2 * edges.size(), i -> {
                final long[] e = edges.get(i / 2);
                final long a = e[0] + idBase;
                final long b = e[1] + idBase;
                return new Request("/wrk2-api/user/follow", i % 2 == 0 ? followBody(a, b) : followBody(b, a));
            });
            final Random random = new Random(seed);
            final List<String> posts = new ArrayList<>(composePosts);
            for (int p = 0; p < composePosts; p++) {
                posts.add(composeBody(random)); // generated up front: the same posts whatever the concurrency
            }
            runPhase("compose", http, deadline, composePosts, i -> new Request("/wrk2-api/post/compose", posts.get(i)));
        }
        final Result result = new Result(nodes, edges.size(), 2L * edges.size(), composePosts, failureCount.get(),
                (System.nanoTime() - started) / 1e9);
        if (failureCount.get() > 0) {
            throw new IllegalStateException(failureCount.get() + " load requests failed, first: "
                    + String.join(" | ", failures) + " (" + result.toJson() + ")");
        }
        return result;
    }

    /**
     * Sends requests {@code 0..count-1} of a phase from {@code concurrency} threads, each a closed loop on its own
     * keep-alive connection (the thread writes the request and reads the reply itself: no hand-off to a selector
     * thread, which matters on a 2-core machine where the loader shares the CPUs with the stack it loads).
     */
    private void runPhase(final String name, final KeepAliveHttpClient http, final long deadline, final int count,
            final IntFunction<Request> requestAt) throws Exception {
        phase = name;
        final long phaseStarted = System.nanoTime();
        final AtomicInteger next = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final boolean existingIsOk = "register".equals(name);
        final int attempts = "compose".equals(name) ? 1 : ATTEMPTS;
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < Math.min(concurrency, count); t++) {
            final Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count && !stop.get(); i = next.getAndIncrement()) {
                    final Request request = requestAt.apply(i);
                    final String problem = send(http, request, attempts, existingIsOk, deadline);
                    completed.incrementAndGet();
                    if (problem != null) {
                        fail(request.path() + " (" + request.body() + "): " + problem);
                    }
                }
            }, "socialnetwork-loader-" + name + "-" + t);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        try {
            for (final Thread worker : workers) {
                while (worker.isAlive()) {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(name + " phase did not finish within the load timeout of "
                                + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                    }
                    worker.join(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 5_000)));
                    progress();
                }
            }
        } finally {
            stop.set(true);
        }
        if (count > 0) {
            System.err.printf("socialnetwork load: %s: %d requests in %.1f s%n", name, count,
                    (System.nanoTime() - phaseStarted) / 1e9);
        }
    }

    /**
     * Sends one request. Register and follow are idempotent here (an existing user counts as registered, a repeated
     * follow is a no-op), so they are retried up to {@value #ATTEMPTS} times on a transport error or a 5xx; compose is
     * not (a retry could post twice).
     *
     * @return null on success, else the last problem.
     */
    private static String send(final KeepAliveHttpClient http, final Request request, final int attempts,
            final boolean existingIsOk, final long deadline) {
        final byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        String problem = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS) > deadline) {
                    return problem + " (no time left to retry)";
                }
                try {
                    Thread.sleep(RETRY_DELAY_MS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return problem + " (interrupted)";
                }
            }
            try {
                final KeepAliveHttpClient.Response response = http.post(request.path(), FORM, body);
                if (response.status() == 200 || existingIsOk && response.bodyText().contains("already existed")) {
                    return null;
                }
                problem = "HTTP " + response.status() + " " + response.bodyText().trim();
                if (response.status() < 500) {
                    return problem;
                }
            } catch (final IOException e) {
                problem = e.toString();
            }
        }
        return problem;
    }

    private String followBody(final long user, final long followee) {
        return followByUsername ? "user_name=username_" + user + "&followee_name=username_" + followee
                : "user_id=" + user + "&followee_id=" + followee;
    }

    /** upstream's {@code --compose}: 256 random characters, 0..5 mentions, 0..5 urls, 0..5 png media. */
    private String composeBody(final Random random) {
        final long user = random.nextInt(nodes) + idBase;
        final StringBuilder text = new StringBuilder(randomString(random, 256));
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(" @username_").append(random.nextInt(nodes) + idBase);
        }
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(" http://").append(randomString(random, 64));
        }
        final int media = random.nextInt(6);
        final StringBuilder ids = new StringBuilder("[");
        final StringBuilder types = new StringBuilder("[");
        for (int i = 0; i < media; i++) {
            ids.append(i > 0 ? "," : "").append('"').append(1 + random.nextInt(9)).append(digits(random, 17)).append('"');
            types.append(i > 0 ? "," : "").append("\"png\"");
        }
        ids.append(']');
        types.append(']');
        return "username=username_" + user + "&user_id=" + user + "&text=" + encode(text.toString())
                + "&media_ids=" + encode(ids.toString()) + "&media_types=" + encode(types.toString()) + "&post_type=0";
    }

    private static String randomString(final Random random, final int n) {
        final char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = ALNUM.charAt(random.nextInt(ALNUM.length()));
        }
        return new String(chars);
    }

    private static String digits(final Random random, final int n) {
        final char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(chars);
    }

    private static String encode(final String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One line to stderr at most every 5 s, so a slow load shows where it is. */
    private void progress() {
        final long now = System.nanoTime();
        if (now - lastProgressNanos >= 5_000_000_000L) {
            lastProgressNanos = now;
            System.err.println("socialnetwork load: " + phase + ", " + completed.get() + " requests done, "
                    + failureCount.get() + " failed");
        }
    }

    private void fail(final String message) {
        if (failureCount.incrementAndGet() <= MAX_REPORTED_FAILURES) {
            failures.add(message);
            System.err.println("socialnetwork load: request failed: " + message);
        }
    }
}
