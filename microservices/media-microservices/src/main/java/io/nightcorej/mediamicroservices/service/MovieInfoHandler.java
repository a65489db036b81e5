package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.mediamicroservices.thrift.Cast;
import io.nightcorej.mediamicroservices.thrift.MovieInfo;
import io.nightcorej.mediamicroservices.thrift.MovieInfoService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * {@code MovieInfoService}: documents {@code media-movie-info {movie_id, title, plot_id, avg_rating, num_rating, casts:
 * [{cast_id, cast_info_id, character}], thumbnail_ids, photo_ids, video_ids}} (unique index on movie_id); cache
 * {@code movie-info:<movie_id>} → JSON, read-through. Writes are upserts.
 *
 * <p>UpdateRating: DSB's queries the wrong collection ({@code social-graph}) and so never changes anything; nothing
 * calls it. Here it does what it was meant to: {@code avg = (avg*num + sum) / (num + n)}, {@code num += n}, then drops
 * the cached copy.
 */
public final class MovieInfoHandler implements MovieInfoService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /** Creates the index. */
    public MovieInfoHandler(final DocumentStore documents, final CacheStore cache) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        ERRORS.mongoDo(() -> documents.createIndex(Keys.MOVIE_INFO_COLLECTION, "movie_id", true));
    }

    @Override
    public void WriteMovieInfo(final long reqId, final String movieId, final String title, final List<Cast> casts,
            final long plotId, final List<String> thumbnailIds, final List<String> photoIds, final List<String> videoIds,
            final String avgRating, final int numRating, final Map<String, String> carrier) throws ServiceException {
        final double avg;
        try {
            avg = Double.parseDouble(avgRating);
        } catch (final NumberFormatException | NullPointerException e) {
            throw ERRORS.handler("avg_rating '" + avgRating + "' is not a number");
        }
        final List<Document> castDocs = new ArrayList<>();
        for (final Cast c : casts == null ? List.<Cast>of() : casts) {
            castDocs.add(new Document("cast_id", c.getCast_id()).append("cast_info_id", c.getCast_info_id())
                    .append("character", c.getCharacter() == null ? "" : c.getCharacter()));
        }
        ERRORS.mongoDo(() -> documents.updateOne(Keys.MOVIE_INFO_COLLECTION, Filters.eq("movie_id", movieId),
                Updates.combine(Updates.set("title", title), Updates.set("plot_id", plotId), Updates.set("casts", castDocs),
                        Updates.set("thumbnail_ids", list(thumbnailIds)), Updates.set("photo_ids", list(photoIds)),
                        Updates.set("video_ids", list(videoIds)), Updates.set("avg_rating", avg),
                        Updates.set("num_rating", (long) numRating)), true));
        ERRORS.memcachedDo(() -> cache.delete(Keys.movieInfo(movieId)));
    }

    @Override
    public MovieInfo ReadMovieInfo(final long reqId, final String movieId, final Map<String, String> carrier)
            throws ServiceException {
        final byte[] cached = ERRORS.memcached(() -> cache.get(Keys.movieInfo(movieId)));
        if (cached != null) {
            return fromDocument(Document.parse(new String(cached, StandardCharsets.UTF_8)));
        }
        final Document doc = ERRORS.mongo(() -> documents.findOne(Keys.MOVIE_INFO_COLLECTION, Filters.eq("movie_id", movieId)))
                .orElseThrow(() -> ERRORS.handler("Movie_id " + movieId + " is not found in MongoDB"));
        doc.remove("_id");
        ERRORS.memcachedDo(() -> cache.set(Keys.movieInfo(movieId), doc.toJson().getBytes(StandardCharsets.UTF_8), 0));
        return fromDocument(doc);
    }

    @Override
    public void UpdateRating(final long reqId, final String movieId, final int sumUncommittedRating,
            final int numUncommittedRating, final Map<String, String> carrier) throws ServiceException {
        final Document doc = ERRORS.mongo(() -> documents.findOne(Keys.MOVIE_INFO_COLLECTION, Filters.eq("movie_id", movieId)))
                .orElseThrow(() -> ERRORS.handler("Movie_id " + movieId + " is not found in MongoDB"));
        final double avg = doc.get("avg_rating", Number.class).doubleValue();
        final long num = doc.get("num_rating", Number.class).longValue();
        final long newNum = num + numUncommittedRating;
        final double newAvg = newNum == 0 ? avg : (avg * num + sumUncommittedRating) / newNum;
        ERRORS.mongoDo(() -> documents.updateOne(Keys.MOVIE_INFO_COLLECTION, Filters.eq("movie_id", movieId),
                Updates.combine(Updates.set("avg_rating", newAvg), Updates.set("num_rating", newNum)), false));
        ERRORS.memcachedDo(() -> cache.delete(Keys.movieInfo(movieId)));
    }

    private static List<String> list(final List<String> values) {
        return values == null ? List.of() : values;
    }

    private static MovieInfo fromDocument(final Document d) {
        final List<Cast> casts = new ArrayList<>();
        for (final Document c : d.getList("casts", Document.class, List.of())) {
            casts.add(new Cast().setCast_id(c.get("cast_id", Number.class).intValue())
                    .setCast_info_id(c.get("cast_info_id", Number.class).longValue())
                    .setCharacter(c.getString("character")));
        }
        return new MovieInfo()
                .setMovie_id(d.getString("movie_id"))
                .setTitle(d.getString("title"))
                .setCasts(casts)
                .setPlot_id(d.get("plot_id", Number.class).longValue())
                .setThumbnail_ids(new ArrayList<>(d.getList("thumbnail_ids", String.class, List.of())))
                .setPhoto_ids(new ArrayList<>(d.getList("photo_ids", String.class, List.of())))
                .setVideo_ids(new ArrayList<>(d.getList("video_ids", String.class, List.of())))
                .setAvg_rating(d.get("avg_rating", Number.class).doubleValue())
                .setNum_rating((int) d.get("num_rating", Number.class).longValue());
    }
}
