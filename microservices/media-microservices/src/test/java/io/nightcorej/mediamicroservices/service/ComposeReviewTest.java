package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.data.SyntheticTmdb;
import io.nightcorej.mediamicroservices.frontend.MediaFrontend;
import io.nightcorej.mediamicroservices.support.InProcessMedia;
import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.ErrorCode;
import io.nightcorej.mediamicroservices.thrift.Page;
import io.nightcorej.mediamicroservices.thrift.PageService;
import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.UserReviewService;
import io.nightcorej.mediamicroservices.thrift.UserService;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The services and front end in one JVM ({@link InProcessMedia}: real clients against the embedded stores, every call a
 * Thrift message through the function-call transport): compose-review end to end, ComposeReview's five-piece memcached
 * join under concurrency and with duplicates, the read path (PageService), users, and bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeReviewTest {

    private static final int MOVIES = 6;
    private InProcessMedia media;
    @BeforeAll
    void start() throws Exception {
        media = new InProcessMedia();
        for (int i = 1; i <= 3; i++) {
            assertOk(media.form(MediaFrontend.REGISTER_USER, "first_name", "first_name_" + i, "last_name", "last_name_" + i,
                    "username", "username_" + i, "password", "password_" + i));
        }
        for (final int i : new int[] {0, 1, 2, 3, 4, 5, 99, 199}) {
            final SyntheticTmdb.Movie m = SyntheticTmdb.movie(i);
            for (final SyntheticTmdb.CastEntry c : m.cast()) {
                final SyntheticTmdb.Person p = SyntheticTmdb.person(c.personId());
                assertOk(media.json(MediaFrontend.WRITE_CAST_INFO, "{\"cast_info_id\":" + p.id() + ",\"name\":\"" + p.name()
                        + "\",\"gender\":" + (p.gender() == 2) + ",\"intro\":\"" + p.biography() + "\"}"));
            }
            final StringBuilder casts = new StringBuilder();
            for (final SyntheticTmdb.CastEntry c : m.cast()) {
                casts.append(casts.length() == 0 ? "" : ",").append("{\"cast_id\":").append(c.castId())
                        .append(",\"character\":\"").append(c.character()).append("\",\"cast_info_id\":").append(c.personId())
                        .append('}');
            }
            final HttpResponse info = media.json(MediaFrontend.WRITE_MOVIE_INFO, "{\"movie_id\":\"" + m.id() + "\",\"title\":\""
                    + m.title() + "\",\"plot_id\":" + m.id() + ",\"casts\":[" + casts + "],\"thumbnail_ids\":[\""
                    + m.posterPath() + "\"],\"photo_ids\":[],\"video_ids\":[],\"avg_rating\":" + m.voteAverage()
                    + ",\"num_rating\":" + m.voteCount() + "}");
            assertOk(info);
            assertThat(InProcessMedia.body(info)).isEqualTo(Double.toString(m.voteAverage()));
            assertOk(media.json(MediaFrontend.WRITE_PLOT, "{\"plot_id\":" + m.id() + ",\"plot\":\"" + m.overview() + "\"}"));
            assertOk(media.form(MediaFrontend.REGISTER_MOVIE, "title", m.title(), "movie_id", Long.toString(m.id())));
        }
    }

    @AfterAll
    void stop() {
        media.close();
    }

    private static void assertOk(final HttpResponse r) {
        assertThat(r.status()).as(InProcessMedia.body(r)).isEqualTo(200);
    }

    private long userId(final String username) {
        return media.env.documents().findOne(Keys.USER_COLLECTION, Filters.eq("username", username)).orElseThrow()
                .get("user_id", Number.class).longValue();
    }

    private List<Document> reviews(final Object filter) {
        return media.env.documents().find(Keys.REVIEW_COLLECTION, (org.bson.conversions.Bson) filter, null, 0);
    }

    @Test
    void composeReviewStoresTheReviewEverywhereAndThePageShowsIt() throws Exception {
        final SyntheticTmdb.Movie movie = SyntheticTmdb.movie(3); // "Golden River & Friends"
        assertThat(movie.title()).contains("&");
        media.clients.calls().clear();
        final HttpResponse r = media.form(MediaFrontend.COMPOSE, "username", "username_2", "password", "password_2",
                "title", movie.title(), "rating", "7", "text", "a fine & raw text");
        assertOk(r);
        assertThat(r.body()).isEmpty();
        final long user = userId("username_2");
        final List<Document> stored = reviews(Filters.eq("text", "a fine & raw text"));
        assertThat(stored).hasSize(1);
        final Document review = stored.get(0);
        assertThat(review.get("user_id", Number.class).longValue()).isEqualTo(user);
        assertThat(review.getString("movie_id")).isEqualTo(Long.toString(movie.id()));
        assertThat(review.get("rating", Number.class).intValue()).isEqualTo(7);
        final long reviewId = review.get("review_id", Number.class).longValue();

        // NC's call graph: the four uploads from the front end, each service's calls one after the other
        final List<InProcessServiceClients.Call> calls = media.clients.calls();
        assertThat(calls).contains(
                call("frontend", ServiceNames.USER), call("frontend", ServiceNames.MOVIE_ID), call("frontend", ServiceNames.TEXT),
                call("frontend", ServiceNames.UNIQUE_ID), call(ServiceNames.USER, ServiceNames.COMPOSE_REVIEW),
                call(ServiceNames.MOVIE_ID, ServiceNames.COMPOSE_REVIEW), call(ServiceNames.MOVIE_ID, ServiceNames.RATING),
                call(ServiceNames.RATING, ServiceNames.COMPOSE_REVIEW), call(ServiceNames.TEXT, ServiceNames.COMPOSE_REVIEW),
                call(ServiceNames.UNIQUE_ID, ServiceNames.COMPOSE_REVIEW),
                call(ServiceNames.COMPOSE_REVIEW, ServiceNames.REVIEW_STORAGE),
                call(ServiceNames.COMPOSE_REVIEW, ServiceNames.USER_REVIEW),
                call(ServiceNames.COMPOSE_REVIEW, ServiceNames.MOVIE_REVIEW));
        assertThat(calls).hasSize(13);
        final List<String> composeCalls = calls.stream().filter(c -> c.caller().equals(ServiceNames.COMPOSE_REVIEW))
                .map(InProcessServiceClients.Call::callee).toList();
        assertThat(composeCalls).containsExactly(ServiceNames.REVIEW_STORAGE, ServiceNames.USER_REVIEW, ServiceNames.MOVIE_REVIEW);

        // the rating is pending for the movie
        assertThat(media.env.sortedSets().all(Keys.uncommittedRatings(Long.toString(movie.id()))))
                .extracting(SortedSetStore.Entry::score).containsExactly(7.0);
        // user-review and the page (movie info, reviews, casts, plot) read it back through the caches and MongoDB
        final ServiceCaller<ServiceException> caller = new ServiceCaller<>(media.clients, ERRORS);
        final List<Review> userReviews = caller.call(ServiceNames.USER_REVIEW, new UserReviewService.Client.Factory(),
                c -> c.ReadUserReviews(1, user, 0, 10, Map.of()));
        assertThat(userReviews).extracting(Review::getReview_id).containsExactly(reviewId);
        for (int round = 0; round < 2; round++) { // cold, then from the caches
            final Page page = caller.call(ServiceNames.PAGE, new PageService.Client.Factory(),
                    c -> c.ReadPage(1, Long.toString(movie.id()), 0, 10, Map.of()));
            assertThat(page.getMovie_info().getTitle()).isEqualTo(movie.title());
            assertThat(page.getMovie_info().getAvg_rating()).isEqualTo(movie.voteAverage());
            assertThat(page.getMovie_info().getCasts()).hasSize(movie.cast().size())
                    .allSatisfy(c -> assertThat(c.getCharacter()).as("write.lua's 'charactor' quirk").isEmpty());
            assertThat(page.getReviews()).extracting(Review::getText).containsExactly("a fine & raw text");
            assertThat(page.getCast_infos()).extracting(ci -> ci.getName())
                    .containsExactlyElementsOf(movie.cast().stream().map(c -> SyntheticTmdb.person(c.personId()).name()).toList());
            assertThat(page.getPlot()).isEqualTo(movie.overview());
        }
    }

    private static InProcessServiceClients.Call call(final String caller, final String callee) {
        return new InProcessServiceClients.Call(caller, callee);
    }

    @Test
    void theJoinComposesExactlyOnceWhateverTheOrderOfConcurrentUploads() throws Exception {
        final ServiceCaller<ServiceException> caller = new ServiceCaller<>(media.clients, ERRORS);
        final SyntheticTmdb.Movie movie = SyntheticTmdb.movie(1);
        final long user = userId("username_1");
        final int requests = 40;
        final long base = 7_000_000_000L;
        final List<Runnable> uploads = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            final long req = base + i;
            final long reviewId = 9_000_000_000L + i;
            uploads.add(upload(caller, c -> c.UploadText(req, "concurrent " + req, Map.of())));
            uploads.add(upload(caller, c -> c.UploadRating(req, 5, Map.of())));
            uploads.add(upload(caller, c -> c.UploadMovieId(req, Long.toString(movie.id()), Map.of())));
            uploads.add(upload(caller, c -> c.UploadUniqueId(req, reviewId, Map.of())));
            uploads.add(upload(caller, c -> c.UploadUserId(req, user, Map.of())));
            uploads.add(upload(caller, c -> c.UploadText(req, "duplicate " + req, Map.of()))); // a duplicate piece
        }
        Collections.shuffle(uploads, new Random(42));
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<?>> futures = new ArrayList<>();
            for (final Runnable u : uploads) {
                futures.add(pool.submit(u));
            }
            for (final Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        final List<Document> stored = reviews(Filters.and(Filters.gte("req_id", base), Filters.lt("req_id", base + requests)));
        assertThat(stored).hasSize(requests);
        for (final Document d : stored) {
            final long req = d.get("req_id", Number.class).longValue();
            assertThat(d.getString("text")).isIn("concurrent " + req, "duplicate " + req);
            assertThat(d.get("review_id", Number.class).longValue()).isEqualTo(9_000_000_000L + (req - base));
        }
    }

    @Test
    void aDuplicateUploadKeepsTheFirstValueAndNeverComposesAgain() throws Exception {
        final ServiceCaller<ServiceException> caller = new ServiceCaller<>(media.clients, ERRORS);
        final long req = 8_000_000_001L;
        final long user = userId("username_3");
        upload(caller, c -> c.UploadText(req, "first", Map.of())).run();
        upload(caller, c -> c.UploadText(req, "second", Map.of())).run();
        upload(caller, c -> c.UploadRating(req, 3, Map.of())).run();
        upload(caller, c -> c.UploadMovieId(req, Long.toString(SyntheticTmdb.movieId(2)), Map.of())).run();
        upload(caller, c -> c.UploadUniqueId(req, 123_456L, Map.of())).run();
        assertThat(reviews(Filters.eq("req_id", req))).as("four distinct pieces and a duplicate: not complete").isEmpty();
        upload(caller, c -> c.UploadUserId(req, user, Map.of())).run();
        assertThat(reviews(Filters.eq("req_id", req))).singleElement()
                .satisfies(d -> assertThat(d.getString("text")).isEqualTo("first"));
        upload(caller, c -> c.UploadUserId(req, user, Map.of())).run(); // late duplicate: NC would store it again
        upload(caller, c -> c.UploadText(req, "third", Map.of())).run();
        assertThat(reviews(Filters.eq("req_id", req))).hasSize(1);
    }

    private interface ComposeCall {
        void apply(ComposeReviewService.Client c) throws org.apache.thrift.TException;
    }

    private static Runnable upload(final ServiceCaller<ServiceException> caller, final ComposeCall call) {
        return () -> {
            try {
                caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(), call::apply);
            } catch (final ServiceException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
    }

    @Test
    void anUnknownTitleIsTheHandlerErrorAndStoresNothing() throws Exception {
        final long before = reviews(Filters.exists("review_id")).size();
        final HttpResponse r = media.form(MediaFrontend.COMPOSE, "username", "username_1", "password", "x",
                "title", "No Such Movie", "rating", "4", "text", "t");
        assertThat(r.status()).isEqualTo(500);
        assertThat(InProcessMedia.body(r)).startsWith("compose_review failure: ")
                .contains("Movie No Such Movie is not found in MongoDB");
        final HttpResponse unknownUser = media.form(MediaFrontend.COMPOSE, "username", "nobody", "password", "x",
                "title", SyntheticTmdb.title(0), "rating", "4", "text", "t");
        assertThat(unknownUser.status()).isEqualTo(500);
        assertThat(InProcessMedia.body(unknownUser)).contains("User: nobody is not registered");
        assertThat(reviews(Filters.exists("review_id"))).hasSize((int) before);
    }

    @Test
    void missingOrMalformedFieldsAre400() throws Exception {
        final String[] all = {"username", "username_1", "password", "p", "title", SyntheticTmdb.title(0), "rating", "1",
            "text", "t"};
        for (int skip = 0; skip < all.length; skip += 2) {
            final List<String> fields = new ArrayList<>(List.of(all));
            fields.remove(skip);
            fields.remove(skip);
            final HttpResponse r = media.form(MediaFrontend.COMPOSE, fields.toArray(String[]::new));
            assertThat(r.status()).as("without " + all[skip]).isEqualTo(400);
            assertThat(InProcessMedia.body(r)).isEqualTo("Incomplete arguments");
        }
        assertThat(media.form(MediaFrontend.COMPOSE, "username", "username_1", "password", "p", "title",
                SyntheticTmdb.title(0), "rating", "ten", "text", "t").status()).isEqualTo(400);
        assertThat(media.form(MediaFrontend.REGISTER_USER, "username", "u").status()).isEqualTo(400);
        assertThat(media.json(MediaFrontend.WRITE_PLOT, "{not json").status()).isEqualTo(400);
        assertThat(media.json(MediaFrontend.WRITE_MOVIE_INFO, "{\"movie_id\":\"1\"}").status()).isEqualTo(400);
    }

    @Test
    void aDuplicatedTitleKeepsTheFirstMovieAndUsersRegisterOnceAndLogIn() throws Exception {
        assertThat(SyntheticTmdb.title(199)).isEqualTo(SyntheticTmdb.title(99));
        assertThat(media.env.documents().find(Keys.MOVIE_ID_COLLECTION, Filters.eq("title", SyntheticTmdb.title(99)), null, 0))
                .singleElement().satisfies(d -> assertThat(d.getString("movie_id")).isEqualTo(Long.toString(SyntheticTmdb.movieId(99))));

        final HttpResponse again = media.form(MediaFrontend.REGISTER_USER, "first_name", "f", "last_name", "l",
                "username", "username_1", "password", "p");
        assertThat(again.status()).isEqualTo(500);
        assertThat(InProcessMedia.body(again)).contains("User username_1 already existed");
        final ServiceCaller<ServiceException> caller = new ServiceCaller<>(media.clients, ERRORS);
        for (int round = 0; round < 2; round++) { // MongoDB, then the cache
            final String jwt = caller.call(ServiceNames.USER, new UserService.Client.Factory(),
                    c -> c.Login(1, "username_1", "password_1", Map.of()));
            assertThat(jwt.split("\\.")).hasSize(3);
            final String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(payload).contains("\"user_id\":\"" + userId("username_1") + "\"", "\"TTL\":\"60000\"");
            assertThatThrownBy(() -> caller.call(ServiceNames.USER, new UserService.Client.Factory(),
                    c -> c.Login(1, "username_1", "wrong", Map.of())))
                    .isInstanceOfSatisfying(ServiceException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.SE_UNAUTHORIZED));
        }
    }
}
