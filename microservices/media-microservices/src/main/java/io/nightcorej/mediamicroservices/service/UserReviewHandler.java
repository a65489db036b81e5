package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.UserReviewService;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import java.util.List;
import java.util.Map;

/** {@code UserReviewService}: {@code media-user-review {user_id, reviews}}, set {@code user-review:<user_id>} ({@link ReviewList}). */
public final class UserReviewHandler implements UserReviewService.Iface {

    private final ReviewList<Long> reviews;

    /** Creates the index. */
    public UserReviewHandler(final DocumentStore documents, final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller)
            throws ServiceException {
        reviews = new ReviewList<>(documents, sortedSets, caller, Keys.USER_REVIEW_COLLECTION, "user_id", Keys::userReviews);
    }

    @Override
    public void UploadUserReview(final long reqId, final long userId, final long reviewId, final long timestamp,
            final Map<String, String> carrier) throws ServiceException {
        reviews.upload(userId, reviewId, timestamp);
    }

    @Override
    public List<Review> ReadUserReviews(final long reqId, final long userId, final int start, final int stop,
            final Map<String, String> carrier) throws ServiceException {
        return reviews.read(reqId, userId, start, stop);
    }
}
