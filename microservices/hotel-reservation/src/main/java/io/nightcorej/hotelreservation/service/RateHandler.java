package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.Rate;
import io.nightcorej.hotelreservation.thrift.RatePlan;
import io.nightcorej.hotelreservation.thrift.RateRequest;
import io.nightcorej.hotelreservation.thrift.RateResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bson.Document;

/**
 * rate.Rate, as NC's {@code services/rate/server.go}: for each hotel, one memcached GET ({@code rate:<hotelId>});
 * a hit holds newline-separated JSON rate plans; a miss reads {@code rate-db.inventory} and SETs the plans (an empty
 * value for a hotel without plans, so the miss is cached too; no TTL). <b>The dates of the request are ignored</b>, as
 * upstream's; the plans are sorted by {@code totalRate}, highest first.
 *
 * <p>NC parses the whole cached value once per non-empty line (correct only because every hotel has at most one
 * plan); this parses each line, which gives the same result for NC's data.
 */
public final class RateHandler implements Rate.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /**
     * @param documents holds {@link Collections#INVENTORY}.
     * @param cache     the rate plan cache.
     */
    public RateHandler(final DocumentStore documents, final CacheStore cache) {
        this.documents = documents;
        this.cache = cache;
    }

    @Override
    public RateResult GetRates(final RateRequest req) throws ServiceException {
        final List<RatePlan> plans = new ArrayList<>();
        if (req.getHotelIds() != null) {
            for (final String hotelId : req.getHotelIds()) {
                final String key = Collections.RATE_KEY_PREFIX + hotelId;
                final byte[] cached = ERRORS.memcached(() -> cache.get(key));
                if (cached != null) {
                    for (final String line : new String(cached, StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isEmpty()) {
                            plans.add(parse(key, line));
                        }
                    }
                    continue;
                }
                final StringBuilder value = new StringBuilder();
                for (final Document d : ERRORS.mongo(() -> documents.find(Collections.INVENTORY,
                        Filters.eq("hotelId", hotelId), null, 0))) {
                    final RatePlan plan = CacheJson.ratePlan(d);
                    plans.add(plan);
                    value.append(CacheJson.ratePlanJson(plan)).append('\n');
                }
                ERRORS.memcachedDo(() -> cache.set(key, value.toString().getBytes(StandardCharsets.UTF_8), 0));
            }
        }
        plans.sort(Comparator.comparingDouble((RatePlan p) -> p.getRoomType() == null ? 0 : p.getRoomType().getTotalRate())
                .reversed());
        return new RateResult().setRatePlans(plans);
    }

    private static RatePlan parse(final String key, final String line) throws ServiceException {
        try {
            return CacheJson.ratePlanFromJson(line);
        } catch (final IOException e) {
            throw ERRORS.handler("cached rate plan under '" + key + "' is not JSON: " + e.getMessage());
        }
    }
}
