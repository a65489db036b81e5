package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.MovieIdService;
import io.nightcorej.mediamicroservices.thrift.RatingService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * {@code MovieIdService}: title → movie_id. Documents {@code media-movie-id {movie_id, title}} with unique indexes on
 * both; cache {@code movie-id:<base64(title)>} → movie_id (NC's key, see {@link Keys#movieId}).
 *
 * <p>UploadMovieId is NC's, in NC's order: read through the cache (MongoDB on a miss; an unknown title is
 * {@code SE_THRIFT_HANDLER_ERROR "Movie <title> is not found in MongoDB"}), SET the cache on every call (hit or miss,
 * as DSB), then ComposeReview.UploadMovieId, then RatingService.UploadRating.
 */
public final class MovieIdHandler implements MovieIdService.Iface {

    private static final int NO_EXPIRY = 0;

    private final DocumentStore documents;
    private final CacheStore cache;
    private final ServiceCaller<ServiceException> caller;

    /** Creates the indexes. */
    public MovieIdHandler(final DocumentStore documents, final CacheStore cache, final ServiceCaller<ServiceException> caller)
            throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        this.caller = caller;
        ERRORS.mongoDo(() -> {
            documents.createIndex(Keys.MOVIE_ID_COLLECTION, "movie_id", true);
            documents.createIndex(Keys.MOVIE_ID_COLLECTION, "title", true);
        });
    }

    @Override
    public void UploadMovieId(final long reqId, final String title, final int rating, final Map<String, String> carrier)
            throws ServiceException {
        final String key = Keys.movieId(title);
        final byte[] cached = ERRORS.memcached(() -> cache.get(key));
        final String movieId;
        if (cached != null) {
            movieId = new String(cached, StandardCharsets.UTF_8);
        } else {
            movieId = ERRORS.mongo(() -> documents.findOne(Keys.MOVIE_ID_COLLECTION, Filters.eq("title", title)))
                    .map(d -> d.getString("movie_id"))
                    .orElseThrow(() -> ERRORS.handler("Movie " + title + " is not found in MongoDB"));
        }
        ERRORS.memcachedDo(() -> cache.set(key, movieId.getBytes(StandardCharsets.UTF_8), NO_EXPIRY));
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadMovieId(reqId, movieId, Map.of()));
        caller.run(ServiceNames.RATING, new RatingService.Client.Factory(),
                c -> c.UploadRating(reqId, movieId, rating, Map.of()));
    }

    /** Inserts {@code {movie_id, title}} unless the title is registered already (a duplicate title keeps the first). */
    @Override
    public void RegisterMovieId(final long reqId, final String title, final String movieId, final Map<String, String> carrier)
            throws ServiceException {
        if (title == null || title.isEmpty() || movieId == null || movieId.isEmpty()) {
            throw ERRORS.handler("title and movie_id must not be empty");
        }
        if (ERRORS.mongo(() -> documents.findOne(Keys.MOVIE_ID_COLLECTION, Filters.eq("title", title))).isPresent()) {
            return;
        }
        try {
            ERRORS.mongoDo(() -> documents.insert(Keys.MOVIE_ID_COLLECTION,
                    new Document("movie_id", movieId).append("title", title)));
        } catch (final ServiceException e) {
            // a concurrent registration of the same title won the unique index: the title is registered, as asked
            final Optional<Document> now = ERRORS.mongo(() -> documents.findOne(Keys.MOVIE_ID_COLLECTION,
                    Filters.eq("title", title)));
            if (now.isEmpty()) {
                throw e;
            }
        }
    }
}
