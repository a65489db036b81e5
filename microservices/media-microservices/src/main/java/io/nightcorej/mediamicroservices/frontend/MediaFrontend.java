package io.nightcorej.mediamicroservices.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.mediamicroservices.service.ServiceNames;
import io.nightcorej.mediamicroservices.thrift.Cast;
import io.nightcorej.mediamicroservices.thrift.CastInfoService;
import io.nightcorej.mediamicroservices.thrift.MovieIdService;
import io.nightcorej.mediamicroservices.thrift.MovieInfoService;
import io.nightcorej.mediamicroservices.thrift.PlotService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.TextService;
import io.nightcorej.mediamicroservices.thrift.UniqueIdService;
import io.nightcorej.mediamicroservices.thrift.UserService;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;

/**
 * DSB's {@code nginx-web-server} {@code wrk2-api} endpoints for MediaMicroservices (deathstarbench.md §2.6).
 *
 * <p>{@code /wrk2-api/review/compose} is {@code compose.lua}: a random request id, then the four uploads at once (nginx
 * spawns four Lua threads; NC kept that, only the calls <em>inside</em> the services are sequential): UserService,
 * MovieIdService, TextService, UniqueIdService. 200 with an empty body when all four succeed, 500 with every failure's
 * message otherwise (e.g. {@code Movie <title> is not found in MongoDB}), 400 {@code Incomplete arguments} when a form
 * field is missing. The password is required and never checked, as upstream.
 */
public final class MediaFrontend {

    /** Path of compose-review. */
    public static final String COMPOSE = "/wrk2-api/review/compose";
    public static final String REGISTER_USER = "/wrk2-api/user/register";
    public static final String REGISTER_MOVIE = "/wrk2-api/movie/register";
    public static final String WRITE_MOVIE_INFO = "/wrk2-api/movie-info/write";
    public static final String WRITE_CAST_INFO = "/wrk2-api/cast-info/write";
    public static final String WRITE_PLOT = "/wrk2-api/plot/write";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceCaller<ServiceException> caller;

    /** @param caller the front end's clients; its join bound is the last resort on waiting for an upload. */
    public MediaFrontend(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    /** @return the endpoints by path. */
    public Map<String, HttpEndpoint> endpoints() {
        final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(COMPOSE, this::compose);
        endpoints.put(REGISTER_USER, this::registerUser);
        endpoints.put(REGISTER_MOVIE, this::registerMovie);
        endpoints.put(WRITE_MOVIE_INFO, this::writeMovieInfo);
        endpoints.put(WRITE_CAST_INFO, this::writeCastInfo);
        endpoints.put(WRITE_PLOT, this::writePlot);
        return endpoints;
    }

    /** A Thrift call that answers nothing. */
    @FunctionalInterface
    private interface Upload {
        void run() throws ServiceException;
    }

    private HttpResponse compose(final HttpRequest request) {
        final String username = request.param("username");
        final String password = request.param("password");
        final String title = request.param("title");
        final String ratingText = request.param("rating");
        final String text = request.param("text");
        if (username == null || password == null || title == null || ratingText == null || text == null) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        final int rating;
        try {
            rating = Integer.parseInt(ratingText.trim());
        } catch (final NumberFormatException e) {
            return HttpResponse.text(400, "rating must be an integer, not '" + ratingText + "'");
        }
        final long reqId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        // three uploads on the caller's pool, the fourth on this thread; every failure is reported, in this order
        final Map<String, Future<Void>> forked = new LinkedHashMap<>();
        forked.put(ServiceNames.MOVIE_ID, fork(ServiceNames.MOVIE_ID, new MovieIdService.Client.Factory(),
                c -> c.UploadMovieId(reqId, title, rating, Map.of())));
        forked.put(ServiceNames.TEXT, fork(ServiceNames.TEXT, new TextService.Client.Factory(),
                c -> c.UploadText(reqId, text, Map.of())));
        forked.put(ServiceNames.UNIQUE_ID, fork(ServiceNames.UNIQUE_ID, new UniqueIdService.Client.Factory(),
                c -> c.UploadUniqueId(reqId, Map.of())));
        final List<String> failures = new ArrayList<>();
        final String own = failureOf(() -> caller.run(ServiceNames.USER, new UserService.Client.Factory(),
                c -> c.UploadUserWithUsername(reqId, username, Map.of())));
        if (own != null) {
            failures.add(own);
        }
        for (final Map.Entry<String, Future<Void>> upload : forked.entrySet()) {
            final String failure = failureOf(() -> caller.join(upload.getValue(), upload.getKey()));
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures.isEmpty() ? new HttpResponse(200, "text/plain; charset=utf-8", new byte[0])
                : HttpResponse.text(500, "compose_review failure: " + String.join("; ", failures));
    }

    /** @return the forked upload, or its failure to start (a failed lease) as a failed future, joined like the rest. */
    private <C extends TServiceClient> Future<Void> fork(final String service, final TServiceClientFactory<C> factory,
            final ServiceCaller.VoidCall<C> call) {
        try {
            return caller.forkRun(service, factory, call);
        } catch (final ServiceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String failureOf(final Upload upload) {
        try {
            upload.run();
            return null;
        } catch (final ServiceException e) {
            return e.getMessage();
        } catch (final RuntimeException e) {
            return e.toString();
        }
    }

    private HttpResponse registerUser(final HttpRequest request) throws ServiceException {
        final String first = request.param("first_name");
        final String last = request.param("last_name");
        final String username = request.param("username");
        final String password = request.param("password");
        if (first == null || last == null || username == null || password == null) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        return call(() -> caller.run(ServiceNames.USER, new UserService.Client.Factory(),
                c -> c.RegisterUser(reqId(), first, last, username, password, Map.of())), "Success!");
    }

    private HttpResponse registerMovie(final HttpRequest request) throws ServiceException {
        final String title = request.param("title");
        final String movieId = request.param("movie_id");
        if (title == null || movieId == null) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        return call(() -> caller.run(ServiceNames.MOVIE_ID, new MovieIdService.Client.Factory(),
                c -> c.RegisterMovieId(reqId(), title, movieId, Map.of())), "Success!");
    }

    /**
     * write.lua: the casts' {@code character} is read from the misspelled key {@code charactor}, so the loader's
     * {@code character} never arrives and stored casts have an empty character (kept: deathstarbench.md §2.5).
     */
    private HttpResponse writeMovieInfo(final HttpRequest request) throws ServiceException {
        final JsonNode body = json(request);
        if (body == null || !has(body, "movie_id", "title", "casts", "plot_id", "thumbnail_ids", "photo_ids", "video_ids",
                "avg_rating", "num_rating")) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        final List<Cast> casts = new ArrayList<>();
        for (final JsonNode c : body.get("casts")) {
            casts.add(new Cast().setCast_id(c.path("cast_id").asInt()).setCast_info_id(c.path("cast_info_id").asLong())
                    .setCharacter(c.path("charactor").asText("")));
        }
        final String avgRating = body.get("avg_rating").asText();
        return call(() -> caller.run(ServiceNames.MOVIE_INFO, new MovieInfoService.Client.Factory(),
                c -> c.WriteMovieInfo(reqId(), body.get("movie_id").asText(), body.get("title").asText(), casts,
                        body.get("plot_id").asLong(), strings(body.get("thumbnail_ids")), strings(body.get("photo_ids")),
                        strings(body.get("video_ids")), avgRating, body.get("num_rating").asInt(), Map.of())), avgRating);
    }

    private HttpResponse writeCastInfo(final HttpRequest request) throws ServiceException {
        final JsonNode body = json(request);
        if (body == null || !has(body, "cast_info_id", "name", "gender", "intro")) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        return call(() -> caller.run(ServiceNames.CAST_INFO, new CastInfoService.Client.Factory(),
                c -> c.WriteCastInfo(reqId(), body.get("cast_info_id").asLong(), body.get("name").asText(),
                        body.get("gender").asBoolean(), body.get("intro").asText(), Map.of())), "Success!");
    }

    private HttpResponse writePlot(final HttpRequest request) throws ServiceException {
        final JsonNode body = json(request);
        if (body == null || !has(body, "plot_id", "plot")) {
            return HttpResponse.text(400, "Incomplete arguments");
        }
        return call(() -> caller.run(ServiceNames.PLOT, new PlotService.Client.Factory(),
                c -> c.WritePlot(reqId(), body.get("plot_id").asLong(), body.get("plot").asText(), Map.of())), "Success!");
    }

    private static HttpResponse call(final Upload upload, final String okBody) {
        final String failure = failureOf(upload);
        return failure == null ? HttpResponse.text(200, okBody) : HttpResponse.text(500, failure);
    }

    private static JsonNode json(final HttpRequest request) {
        try {
            final JsonNode node = JSON.readTree(request.body());
            return node != null && node.isObject() ? node : null;
        } catch (final IOException e) {
            return null;
        }
    }

    private static boolean has(final JsonNode node, final String... fields) {
        for (final String f : fields) {
            if (!node.hasNonNull(f)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(final JsonNode array) {
        final List<String> values = new ArrayList<>();
        for (final JsonNode v : array) {
            values.add(v.asText());
        }
        return values;
    }

    private static long reqId() {
        return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    }
}
