package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.MovieReviewService;
import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import java.util.List;
import java.util.Map;

/**
 * {@code MovieReviewService}: {@code media-movie-review {movie_id, reviews}}, set {@code movie-review:<movie_id>}
 * ({@link ReviewList}). NC formats the string movie_id with {@code %PRId64} in its Redis commands (undefined
 * behaviour); keyed by the string here, as deathstarbench.md §2.4 advises.
 */
public final class MovieReviewHandler implements MovieReviewService.Iface {

    private final ReviewList<String> reviews;

    /** Creates the index. */
    public MovieReviewHandler(final DocumentStore documents, final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller)
            throws ServiceException {
        reviews = new ReviewList<>(documents, sortedSets, caller, Keys.MOVIE_REVIEW_COLLECTION, "movie_id",
                Keys::movieReviews);
    }

    @Override
    public void UploadMovieReview(final long reqId, final String movieId, final long reviewId, final long timestamp,
            final Map<String, String> carrier) throws ServiceException {
        reviews.upload(movieId, reviewId, timestamp);
    }

    @Override
    public List<Review> ReadMovieReviews(final long reqId, final String movieId, final int start, final int stop,
            final Map<String, String> carrier) throws ServiceException {
        return reviews.read(reqId, movieId, start, stop);
    }
}
