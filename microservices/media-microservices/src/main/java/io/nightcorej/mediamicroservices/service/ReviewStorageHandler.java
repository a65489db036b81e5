package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ReviewStorageService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * {@code ReviewStorageService}: documents {@code media-review {review_id, timestamp, user_id, movie_id, text, rating,
 * req_id}} (unique index on review_id); cache {@code review:<review_id>} → the document as JSON (NC:
 * {@code bson_as_json}). Store is an insert; ReadReviews is a multi-get, one MongoDB {@code $in} for the misses, then
 * a SET per miss (read-through). A review id that is nowhere is {@code SE_THRIFT_HANDLER_ERROR} naming it.
 */
public final class ReviewStorageHandler implements ReviewStorageService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /** Creates the index. */
    public ReviewStorageHandler(final DocumentStore documents, final CacheStore cache) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        ERRORS.mongoDo(() -> documents.createIndex(Keys.REVIEW_COLLECTION, "review_id", true));
    }

    @Override
    public void StoreReview(final long reqId, final Review review, final Map<String, String> carrier) throws ServiceException {
        if (review == null) {
            throw ERRORS.handler("StoreReview: no review");
        }
        ERRORS.mongoDo(() -> documents.insert(Keys.REVIEW_COLLECTION, toDocument(review)));
    }

    @Override
    public List<Review> ReadReviews(final long reqId, final List<Long> reviewIds, final Map<String, String> carrier)
            throws ServiceException {
        if (reviewIds == null || reviewIds.isEmpty()) {
            return new ArrayList<>();
        }
        final Set<Long> unique = new LinkedHashSet<>(reviewIds);
        final List<String> keys = unique.stream().map(Keys::review).toList();
        final Map<String, byte[]> cached = ERRORS.memcached(() -> cache.getMulti(keys));
        final Map<Long, Review> found = new HashMap<>();
        final List<Long> misses = new ArrayList<>();
        for (final long id : unique) {
            final byte[] json = cached.get(Keys.review(id));
            if (json != null) {
                found.put(id, fromDocument(Document.parse(new String(json, StandardCharsets.UTF_8))));
            } else {
                misses.add(id);
            }
        }
        if (!misses.isEmpty()) {
            final List<Document> docs = ERRORS.mongo(() -> documents.find(Keys.REVIEW_COLLECTION,
                    Filters.in("review_id", misses), null, 0));
            for (final Document doc : docs) {
                doc.remove("_id");
                final Review review = fromDocument(doc);
                found.put(review.getReview_id(), review);
                ERRORS.memcachedDo(() -> cache.set(Keys.review(review.getReview_id()),
                        doc.toJson().getBytes(StandardCharsets.UTF_8), 0));
            }
        }
        final List<Review> result = new ArrayList<>(reviewIds.size());
        final List<Long> missing = new ArrayList<>();
        for (final long id : reviewIds) {
            final Review review = found.get(id);
            if (review == null) {
                missing.add(id);
            } else {
                result.add(review);
            }
        }
        if (!missing.isEmpty()) {
            throw ERRORS.handler("Review(s) " + missing + " not found in MongoDB");
        }
        return result;
    }

    static Document toDocument(final Review r) {
        return new Document("review_id", r.getReview_id())
                .append("timestamp", r.getTimestamp())
                .append("user_id", r.getUser_id())
                .append("movie_id", r.getMovie_id())
                .append("text", r.getText())
                .append("rating", r.getRating())
                .append("req_id", r.getReq_id());
    }

    static Review fromDocument(final Document d) {
        return new Review()
                .setReview_id(d.get("review_id", Number.class).longValue())
                .setTimestamp(d.get("timestamp", Number.class).longValue())
                .setUser_id(d.get("user_id", Number.class).longValue())
                .setMovie_id(d.getString("movie_id"))
                .setText(d.getString("text"))
                .setRating(d.get("rating", Number.class).intValue())
                .setReq_id(d.get("req_id", Number.class).longValue());
    }
}
