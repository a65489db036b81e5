package io.nightcorej.mediamicroservices.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.mediamicroservices.frontend.MediaFrontend;
import io.nightcorej.microservices.common.transport.KeepAliveHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DSB's initialisation through the public HTTP API (deathstarbench.md §2.8), on the synthetic data set:
 * {@code register_users.sh} (users {@code username_i}/{@code password_i}, first/last {@code first_name_i}/
 * {@code last_name_i}, i = 1..users), then {@code write_movie_info.py}: every person to {@code /cast-info/write}, then
 * per movie {@code /movie-info/write}, {@code /plot/write}, {@code /movie/register}.
 *
 * <p>Re-running it is harmless: an existing user counts as registered, movie registration keeps the first title, the
 * writes are upserts. Requests run on {@code concurrency} threads, each with its own keep-alive connection; a request
 * that fails with a transport error or 5xx is retried twice after 250 and 500 ms (all of them are idempotent), then the load fails naming
 * it.
 *
 * <p>Options: {@code users} (1000), {@code movies} (1000, at most 1000), {@code concurrency} (8), {@code timeout_s}
 * (300, the whole load).
 */
public final class MovieDataLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPTIONS = Set.of("users", "movies", "concurrency", "timeout_s");
    private static final String FORM = "application/x-www-form-urlencoded";

    private final URI frontend;
    private final int users;
    private final int movies;
    private final int concurrency;
    private final long timeoutSeconds;

    private MovieDataLoader(final URI frontend, final int users, final int movies, final int concurrency,
            final long timeoutSeconds) {
        this.frontend = frontend;
        this.users = users;
        this.movies = movies;
        this.concurrency = concurrency;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** @return a loader; unknown or malformed options are refused by name. */
    public static MovieDataLoader fromOptions(final URI frontend, final Map<String, String> options) {
        for (final String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown mediamicroservices load option '" + key + "'; known: "
                        + new java.util.TreeSet<>(OPTIONS));
            }
        }
        final int movies = positive(options, "movies", SyntheticTmdb.MOVIES);
        if (movies > SyntheticTmdb.MOVIES) {
            throw new IllegalArgumentException("load option 'movies' must be at most " + SyntheticTmdb.MOVIES);
        }
        return new MovieDataLoader(frontend, positive(options, "users", 1000), movies, positive(options, "concurrency", 8),
                positive(options, "timeout_s", 300));
    }

    /** What was loaded. */
    public record Result(int users, int people, int movies, double seconds) {
    }

    /** Loads everything; the message of a failure names the request. */
    public Result run() throws Exception {
        final long t0 = System.nanoTime();
        final long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        final List<Request> requests = new ArrayList<>();
        for (int i = 1; i <= users; i++) {
            requests.add(new Request(MediaFrontend.REGISTER_USER, FORM, form("first_name", "first_name_" + i,
                    "last_name", "last_name_" + i, "username", "username_" + i, "password", "password_" + i), true));
        }
        final List<SyntheticTmdb.Person> people = SyntheticTmdb.people(movies);
        for (final SyntheticTmdb.Person p : people) {
            final ObjectNode body = JSON.createObjectNode().put("cast_info_id", p.id()).put("name", p.name())
                    .put("gender", p.gender() == 2).put("intro", p.biography());
            requests.add(new Request(MediaFrontend.WRITE_CAST_INFO, "application/json", JSON.writeValueAsString(body), false));
        }
        runAll(requests, deadline);
        requests.clear();
        for (int i = 0; i < movies; i++) {
            final SyntheticTmdb.Movie m = SyntheticTmdb.movie(i);
            final ObjectNode info = JSON.createObjectNode().put("movie_id", Long.toString(m.id())).put("title", m.title())
                    .put("plot_id", m.id()).put("avg_rating", m.voteAverage()).put("num_rating", m.voteCount());
            final ArrayNode casts = info.putArray("casts");
            for (final SyntheticTmdb.CastEntry c : m.cast()) {
                // write_movie_info.py sends "character"; write.lua reads "charactor" (kept, see MediaFrontend)
                casts.addObject().put("cast_id", c.castId()).put("character", c.character()).put("cast_info_id", c.personId());
            }
            info.putArray("thumbnail_ids").add(m.posterPath());
            info.putArray("photo_ids");
            info.putArray("video_ids");
            requests.add(new Request(MediaFrontend.WRITE_MOVIE_INFO, "application/json", JSON.writeValueAsString(info), false));
            requests.add(new Request(MediaFrontend.WRITE_PLOT, "application/json", JSON.writeValueAsString(
                    JSON.createObjectNode().put("plot_id", m.id()).put("plot", m.overview())), false));
            requests.add(new Request(MediaFrontend.REGISTER_MOVIE, FORM,
                    form("title", m.title(), "movie_id", Long.toString(m.id())), false));
        }
        runAll(requests, deadline);
        return new Result(users, people.size(), movies, (System.nanoTime() - t0) / 1e9);
    }

    private record Request(String path, String contentType, String body, boolean existingIsOk) {
    }

    private void runAll(final List<Request> requests, final long deadlineNanos) throws Exception {
        final AtomicInteger next = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            final Thread t = new Thread(r, "media-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    try (KeepAliveHttpClient http = new KeepAliveHttpClient(frontend.toString(), 5000, 30_000, 1)) {
                        for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                            if (System.nanoTime() > deadlineNanos) {
                                throw new TimeoutException("mediamicroservices load: not done within " + timeoutSeconds
                                        + " s (timeout_s)");
                            }
                            send(http, requests.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> f : workers) {
                try {
                    f.get(Math.max(1, deadlineNanos - System.nanoTime() + 60_000_000_000L), TimeUnit.NANOSECONDS);
                } catch (final ExecutionException e) {
                    next.set(requests.size());
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void send(final KeepAliveHttpClient http, final Request r) throws IOException {
        String last = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(250L * attempt); // a store that was just restarted is reconnected to within ~1 s
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("mediamicroservices load: interrupted", e);
                }
            }
            try {
                final KeepAliveHttpClient.Response response = http.post(r.path(), r.contentType(),
                        r.body().getBytes(StandardCharsets.UTF_8));
                if (response.status() == 200 || (r.existingIsOk() && response.status() == 500
                        && response.bodyText().contains("already existed"))) {
                    return;
                }
                last = "HTTP " + response.status() + ": " + response.bodyText();
                if (response.status() < 500) {
                    break;
                }
            } catch (final IOException e) {
                last = e.toString();
            }
        }
        throw new IOException("mediamicroservices load: POST " + r.path() + " " + abbreviate(r.body()) + " failed: " + last);
    }

    private static String abbreviate(final String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    private static String form(final String... pairs) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append('&');
            }
            sb.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static int positive(final Map<String, String> options, final String key, final int fallback) {
        final String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            final int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("load option '" + key + "' must be a positive integer, not '" + v + "'");
    }
}
