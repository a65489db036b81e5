package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.Recommendation;
import io.nightcorej.hotelreservation.thrift.RecommendationRequest;
import io.nightcorej.hotelreservation.thrift.RecommendationResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * recommendation.Recommendation, as NC's: {@code recommendation-db.recommendation} loaded into memory on the first
 * call, then
 * <ul>
 *   <li>{@code dis}: the hotels at the minimum haversine distance from (lat, lon);</li>
 *   <li>{@code rate}: the hotels with the highest {@code rate};</li>
 *   <li>{@code price}: the hotels with the lowest {@code price};</li>
 * </ul>
 * at most {@value #MAX_RESULTS} each (upstream's {@code maxRecommendationResults}). Upstream picks among ties in Go's
 * random map order; this takes them in collection order (hotel id order), so {@code rate} always answers
 * 9, 24, 39, 54, 69 for NC's data where upstream answers some 5 of the 67 hotels rated 232. Any other
 * {@code require} is logged and answered with no hotels, as upstream.
 */
public final class RecommendationHandler implements Recommendation.Iface {

    /** upstream's {@code maxRecommendationResults}. */
    public static final int MAX_RESULTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationHandler.class);

    private record Entry(String hotelId, double lat, double lon, double rate, double price) {
    }

    private final LazyIndex<List<Entry>> hotels;

    /** @param documents holds {@link Collections#RECOMMENDATIONS}. */
    public RecommendationHandler(final DocumentStore documents) {
        this.hotels = new LazyIndex<>(() -> {
            final List<Entry> all = new ArrayList<>();
            for (final Document d : ERRORS.mongo(() -> documents.find(Collections.RECOMMENDATIONS, Filters.empty(), null,
                    0))) {
                all.add(new Entry(d.getString("hotelId"), GeoHandler.number(d, "lat"), GeoHandler.number(d, "lon"),
                        GeoHandler.number(d, "rate"), GeoHandler.number(d, "price")));
            }
            return List.copyOf(all);
        });
    }

    @Override
    public RecommendationResult GetRecommendations(final RecommendationRequest req) throws ServiceException {
        final List<Entry> all = hotels.get();
        final String require = req.getRequire() == null ? "" : req.getRequire();
        final List<String> ids = switch (require) {
            case "dis" -> best(all, e -> -Haversine.km(req.getLat(), req.getLon(), e.lat(), e.lon()));
            case "rate" -> best(all, Entry::rate);
            case "price" -> best(all, e -> -e.price());
            default -> {
                LOG.warn("Wrong parameter: {}", require);
                yield List.of();
            }
        };
        return new RecommendationResult().setHotelIds(ids);
    }

    /** The entries whose score equals the maximum score, at most {@link #MAX_RESULTS}, in collection order. */
    private static List<String> best(final List<Entry> all, final ToDoubleFunction<Entry> score) {
        double max = Double.NEGATIVE_INFINITY;
        for (final Entry e : all) {
            max = Math.max(max, score.applyAsDouble(e));
        }
        final List<String> ids = new ArrayList<>(MAX_RESULTS);
        for (final Entry e : all) {
            if (ids.size() < MAX_RESULTS && score.applyAsDouble(e) == max) {
                ids.add(e.hotelId());
            }
        }
        return ids;
    }
}
