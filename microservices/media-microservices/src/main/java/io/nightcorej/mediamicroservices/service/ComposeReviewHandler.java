package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.ErrorCode;
import io.nightcorej.mediamicroservices.thrift.MovieReviewService;
import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ReviewStorageService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.UserReviewService;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.CacheStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code ComposeReviewService}: joins the five pieces of one review, which arrive as separate uploads keyed by the
 * request id, in memcached, as DSB/NC do:
 *
 * <pre>
 *   each Upload&lt;field&gt;(req_id, value):
 *     ADD compose-review:&lt;req_id&gt;:counter "0"       (exp 10 s; NOT_STORED ignored)
 *     ADD compose-review:&lt;req_id&gt;:&lt;field&gt; value      (exp 10 s)
 *       stored      → n = INCR counter
 *       NOT_STORED  → duplicate upload: the first value is kept and the counter is not touched
 *     n == 5 → compose: GET the five fields, timestamp = now (ms), then, one after the other (NC's order):
 *              ReviewStorage.StoreReview, UserReview.UploadUserReview, MovieReview.UploadMovieReview
 * </pre>
 *
 * memcached's {@code INCR} is atomic, so exactly one upload of a request sees 5 and composes, however the uploads
 * interleave. One deliberate difference: NC's duplicate path reads the counter and composes again when it reads 5 (a
 * late duplicate stores the review a second time); here a duplicate never composes.
 */
public final class ComposeReviewHandler implements ComposeReviewService.Iface {

    /** DSB's {@code NUM_COMPONENTS}. */
    public static final int NUM_COMPONENTS = 5;
    /** DSB's {@code MMC_EXP_TIME}, seconds. */
    public static final int EXPIRY_SECONDS = 10;

    static final String COUNTER = "counter";
    static final String REVIEW_ID = "review_id";
    static final String USER_ID = "user_id";
    static final String MOVIE_ID = "movie_id";
    static final String TEXT = "text";
    static final String RATING = "rating";

    private final CacheStore cache;
    private final ServiceCaller<ServiceException> caller;
    private final LongSupplier clock;

    /** @param cache memcached (add/incr); @param caller how to reach the storage services; @param clock ms since the epoch. */
    public ComposeReviewHandler(final CacheStore cache, final ServiceCaller<ServiceException> caller, final LongSupplier clock) {
        this.cache = cache;
        this.caller = caller;
        this.clock = clock;
    }

    @Override
    public void UploadText(final long reqId, final String text, final Map<String, String> carrier) throws ServiceException {
        upload(reqId, TEXT, text);
    }

    @Override
    public void UploadRating(final long reqId, final int rating, final Map<String, String> carrier) throws ServiceException {
        upload(reqId, RATING, Integer.toString(rating));
    }

    @Override
    public void UploadMovieId(final long reqId, final String movieId, final Map<String, String> carrier)
            throws ServiceException {
        upload(reqId, MOVIE_ID, movieId);
    }

    @Override
    public void UploadUniqueId(final long reqId, final long uniqueId, final Map<String, String> carrier)
            throws ServiceException {
        upload(reqId, REVIEW_ID, Long.toString(uniqueId));
    }

    @Override
    public void UploadUserId(final long reqId, final long userId, final Map<String, String> carrier) throws ServiceException {
        upload(reqId, USER_ID, Long.toString(userId));
    }

    private void upload(final long reqId, final String field, final String value) throws ServiceException {
        if (value == null) {
            throw ERRORS.handler("ComposeReview: " + field + " of request " + reqId + " is missing");
        }
        final String counterKey = Keys.compose(reqId, COUNTER);
        ERRORS.memcached(() -> cache.add(counterKey, utf8("0"), EXPIRY_SECONDS));
        final boolean stored = ERRORS.memcached(() -> cache.add(Keys.compose(reqId, field), utf8(value), EXPIRY_SECONDS));
        if (!stored) {
            return;
        }
        final long counter = ERRORS.memcached(() -> cache.incr(counterKey, 1));
        if (counter < 0) {
            throw ERRORS.of(ErrorCode.SE_MEMCACHED_ERROR, "ComposeReview: the counter of request " + reqId
                    + " expired before its " + field + " arrived (pieces live " + EXPIRY_SECONDS + " s)");
        }
        if (counter == NUM_COMPONENTS) {
            compose(reqId);
        }
    }

    private void compose(final long reqId) throws ServiceException {
        final List<String> fields = List.of(REVIEW_ID, USER_ID, MOVIE_ID, TEXT, RATING);
        final List<String> keys = fields.stream().map(f -> Keys.compose(reqId, f)).toList();
        final Map<String, byte[]> raw = ERRORS.memcached(() -> cache.getMulti(keys));
        final Map<String, String> values = new java.util.HashMap<>();
        raw.forEach((k, v) -> values.put(k, new String(v, StandardCharsets.UTF_8)));
        for (int i = 0; i < fields.size(); i++) {
            if (!values.containsKey(keys.get(i))) {
                throw ERRORS.of(ErrorCode.SE_MEMCACHED_ERROR, "ComposeReview: " + fields.get(i) + " of request " + reqId
                        + " expired before the review was composed");
            }
        }
        final Review review;
        try {
            review = new Review()
                    .setReview_id(Long.parseLong(values.get(keys.get(0))))
                    .setUser_id(Long.parseLong(values.get(keys.get(1))))
                    .setReq_id(reqId)
                    .setMovie_id(values.get(keys.get(2)))
                    .setText(values.get(keys.get(3)))
                    .setRating(Integer.parseInt(values.get(keys.get(4))))
                    .setTimestamp(clock.getAsLong());
        } catch (final NumberFormatException e) {
            throw ERRORS.handler("ComposeReview: request " + reqId + " has a malformed piece: " + e.getMessage());
        }
        caller.run(ServiceNames.REVIEW_STORAGE, new ReviewStorageService.Client.Factory(),
                c -> c.StoreReview(reqId, review, Map.of()));
        caller.run(ServiceNames.USER_REVIEW, new UserReviewService.Client.Factory(),
                c -> c.UploadUserReview(reqId, review.getUser_id(), review.getReview_id(), review.getTimestamp(), Map.of()));
        caller.run(ServiceNames.MOVIE_REVIEW, new MovieReviewService.Client.Factory(),
                c -> c.UploadMovieReview(reqId, review.getMovie_id(), review.getReview_id(), review.getTimestamp(), Map.of()));
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
