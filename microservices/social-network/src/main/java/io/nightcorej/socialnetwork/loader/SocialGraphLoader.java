package io.nightcorej.socialnetwork.loader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DeathStarBench's {@code init_social_graph.py} against a running front end, through the public HTTP API only:
 * registers every user ({@code POST /wrk2-api/user/register}, {@code username_<i>}), then follows both directions of
 * every edge by username ({@code POST /wrk2-api/user/follow}, which also warms the {@code <username>:user_id}
 * cache as upstream's loader does), then optionally composes posts.
 *
 * <p>Options (all optional): {@code dataset} (an {@code .edges} file; default the bundled socfb-Reed98),
 * {@code id_base} (1 = NC's 1-based ids, matching the load generator's 1..962; 0 = upstream's), {@code concurrency}
 * (requests in flight, default 32), {@code compose_posts} (total posts to compose, default 0), {@code seed}
 * (default 1), {@code timeout_s} (whole load, default 300), {@code follow_by} ({@code username}, as both upstream's and
 * NC's loaders do, or {@code id}, which skips the two {@code GetUserId} calls per follow). A user that already
 * exists counts as registered, so a load can be re-run against a loaded stack.
 */
public final class SocialGraphLoader {

    static final String BUNDLED_EDGES = "datasets/socfb-Reed98/socfb-Reed98.edges";
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int MAX_REPORTED_FAILURES = 5;
    private static final int ATTEMPTS = 3;
    private static final long RETRY_DELAY_MS = 200;

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

    /**
     * Runs the load.
     *
     * @return what was done.
     * @throws Exception when any request failed or the load ran out of time; the message names the first failures.
     */
    public Result load() throws Exception {
        final long started = System.nanoTime();
        final long deadline = started + timeoutNanos;
        final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            final Thread t = new Thread(r, "socialnetwork-loader");
            t.setDaemon(true);
            return t;
        });
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
        try {
            final Semaphore inFlight = new Semaphore(concurrency);
            final List<CompletableFuture<Void>> pending = new ArrayList<>();

            for (int i = 0; i < nodes; i++) {
                final long id = i + idBase;
                submit(http, inFlight, deadline, pending, "/wrk2-api/user/register",
                        "first_name=first_name_" + id + "&last_name=last_name_" + id + "&username=username_" + id
                                + "&password=password_" + id + "&user_id=" + id, true);
            }
            drain(pending, deadline, "register");
            phase = "follow";

            long follows = 0;
            for (final long[] e : edges) {
                final long a = e[0] + idBase;
                final long b = e[1] + idBase;
                submit(http, inFlight, deadline, pending, "/wrk2-api/user/follow", followBody(a, b), false);
                submit(http, inFlight, deadline, pending, "/wrk2-api/user/follow", followBody(b, a), false);
                follows += 2;
            }
            drain(pending, deadline, "follow");
            phase = "compose";

            final Random random = new Random(seed);
            for (int p = 0; p < composePosts; p++) {
                submit(http, inFlight, deadline, pending, "/wrk2-api/post/compose", composeBody(random), false);
            }
            drain(pending, deadline, "compose");

            final Result result = new Result(nodes, edges.size(), follows, composePosts, failureCount.get(),
                    (System.nanoTime() - started) / 1e9);
            if (failureCount.get() > 0) {
                throw new IllegalStateException(failureCount.get() + " load requests failed, first: "
                        + String.join(" | ", failures) + " (" + result.toJson() + ")");
            }
            return result;
        } finally {
            executor.shutdownNow();
        }
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

    /**
     * Sends one request with at most {@code concurrency} in flight. Register and follow are idempotent here (an
     * existing user counts as registered, a repeated follow is a no-op), so they are retried up to
     * {@value #ATTEMPTS} times on a transport error or a 5xx; compose is not (a retry could post twice).
     */
    private void submit(final HttpClient http, final Semaphore inFlight, final long deadline,
            final List<CompletableFuture<Void>> pending, final String path, final String body,
            final boolean existingIsOk) throws Exception {
        progress();
        final long left = deadline - System.nanoTime();
        if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("load did not finish within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
        }
        final HttpRequest request = HttpRequest.newBuilder(frontend.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        final int attempts = path.endsWith("/compose") ? 1 : ATTEMPTS;
        pending.add(send(http, request, attempts, existingIsOk).handle((problem, error) -> {
            completed.incrementAndGet();
            inFlight.release();
            if (error != null) {
                fail(path + " (" + body + "): " + error);
            } else if (problem != null) {
                fail(path + " (" + body + "): " + problem);
            }
            return null;
        }));
    }

    /** @return a future of null on success, or of the last problem after {@code attemptsLeft} tries. */
    private CompletableFuture<String> send(final HttpClient http, final HttpRequest request, final int attemptsLeft,
            final boolean existingIsOk) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error == null && (response.statusCode() == 200
                    || existingIsOk && response.body().contains("already existed"))) {
                return CompletableFuture.<String>completedFuture(null);
            }
            final String problem = error != null ? String.valueOf(error)
                    : "HTTP " + response.statusCode() + " " + response.body().trim();
            if (attemptsLeft <= 1 || error == null && response.statusCode() < 500) {
                return CompletableFuture.completedFuture(problem);
            }
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(RETRY_DELAY_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> send(http, request, attemptsLeft - 1, existingIsOk));
        }).thenCompose(f -> f);
    }

    /** One line to stderr every 5 s, so a slow load shows where it is. */
    private void progress() {
        final long now = System.nanoTime();
        if (now - lastProgressNanos > 5_000_000_000L) {
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

    private void drain(final List<CompletableFuture<Void>> pending, final long deadline, final String phase)
            throws Exception {
        final long left = Math.max(1, deadline - System.nanoTime());
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(left, TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            throw new IllegalStateException(phase + " phase did not finish within the load timeout", e);
        }
        pending.clear();
    }
}
