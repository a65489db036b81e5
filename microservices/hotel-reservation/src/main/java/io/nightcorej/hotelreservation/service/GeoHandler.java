package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.Geo;
import io.nightcorej.hotelreservation.thrift.GeoRequest;
import io.nightcorej.hotelreservation.thrift.GeoResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bson.Document;

/**
 * geo.Geo: the hotels nearest to a point. Upstream loads every {@code geo-db.geo} point into a go-geoindex
 * {@code ClusteringIndex} on the first call and asks it for {@code KNearest(center, 5, 10 km)}; with at most a
 * thousand points a full scan sorted by haversine distance gives the same answer (deathstarbench.md §3.4). Ties keep
 * the collection's order (upstream's depend on its index's internal order).
 */
public final class GeoHandler implements Geo.Iface {

    /** upstream's {@code maxSearchResults}. */
    public static final int MAX_RESULTS = 5;
    /** upstream's {@code maxSearchRadius}, km. */
    public static final double MAX_DISTANCE_KM = 10;

    private record Point(String hotelId, double lat, double lon) {
    }

    private record Candidate(String hotelId, double km) {
    }

    private final LazyIndex<List<Point>> points;

    /** @param documents the store holding {@link Collections#GEO}. */
    public GeoHandler(final DocumentStore documents) {
        this.points = new LazyIndex<>(() -> {
            final List<Point> all = new ArrayList<>();
            for (final Document d : ERRORS.mongo(() -> documents.find(Collections.GEO, Filters.empty(), null, 0))) {
                all.add(new Point(d.getString("hotelId"), number(d, "lat"), number(d, "lon")));
            }
            return List.copyOf(all);
        });
    }

    static double number(final Document d, final String field) {
        final Object v = d.get(field);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    @Override
    public GeoResult Nearby(final GeoRequest req) throws ServiceException {
        final List<Candidate> near = new ArrayList<>();
        for (final Point p : points.get()) {
            final double km = Haversine.km(req.getLat(), req.getLon(), p.lat(), p.lon());
            if (km <= MAX_DISTANCE_KM) {
                near.add(new Candidate(p.hotelId(), km));
            }
        }
        near.sort(Comparator.comparingDouble(Candidate::km));
        final List<String> ids = new ArrayList<>(MAX_RESULTS);
        for (int i = 0; i < near.size() && i < MAX_RESULTS; i++) {
            ids.add(near.get(i).hotelId());
        }
        return new GeoResult().setHotelIds(ids);
    }
}
