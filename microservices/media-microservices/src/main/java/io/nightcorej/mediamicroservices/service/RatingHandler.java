package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.RatingService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import java.util.List;
import java.util.Map;

/**
 * {@code RatingService}: forwards the rating to ComposeReview, then records it as not yet committed to the movie's
 * average.
 *
 * <p>DSB keeps two Redis counters per movie, {@code INCRBY <movie_id>:uncommit_sum rating} and
 * {@code INCR <movie_id>:uncommit_num} (two round trips), which nothing ever reads. microservices-common's Redis role is
 * sorted sets only (its {@code SortedSetStore} has no INCR, and the embedded RESP server implements sorted sets only),
 * so here each pending rating is one member of the sorted set {@code rating:<movie_id>:uncommitted}: member = req_id,
 * score = rating, one {@code ZADD} round trip. Sum and count are {@code ZRANGE WITHSCORES}'s sum and size, the update is
 * atomic, and a repeated upload of one request counts once. What differs: one Redis round trip instead of two, and the
 * set grows by one member per review (NC's counters stay two keys).
 */
public final class RatingHandler implements RatingService.Iface {

    private final SortedSetStore sortedSets;
    private final ServiceCaller<ServiceException> caller;

    /** @param sortedSets the rating store; @param caller how to reach ComposeReviewService. */
    public RatingHandler(final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller) {
        this.sortedSets = sortedSets;
        this.caller = caller;
    }

    @Override
    public void UploadRating(final long reqId, final String movieId, final int rating, final Map<String, String> carrier)
            throws ServiceException {
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadRating(reqId, rating, Map.of()));
        ERRORS.redisDo(() -> sortedSets.add(Keys.uncommittedRatings(movieId),
                List.of(new SortedSetStore.Entry(Long.toString(reqId), rating))));
    }

    /** @return {sum, count} of the movie's uncommitted ratings. */
    public static long[] uncommitted(final SortedSetStore sortedSets, final String movieId) {
        long sum = 0;
        final List<SortedSetStore.Entry> all = sortedSets.all(Keys.uncommittedRatings(movieId));
        for (final SortedSetStore.Entry e : all) {
            sum += (long) e.score();
        }
        return new long[] {sum, all.size()};
    }
}
