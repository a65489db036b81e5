package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.Hotel;
import io.nightcorej.hotelreservation.thrift.Profile;
import io.nightcorej.hotelreservation.thrift.ProfileRequest;
import io.nightcorej.hotelreservation.thrift.ProfileResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * profile.Profile, as NC's: for each requested id, in request order, one memcached GET ({@code profile:<hotelId>},
 * the JSON hotel), else {@code profile-db.hotels} by {@code id} and a SET (read-through, no TTL). A hotel that does not
 * exist is logged and answered as an empty {@link Hotel}, as upstream does. {@code locale} is ignored, as upstream.
 */
public final class ProfileHandler implements Profile.Iface {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileHandler.class);

    private final DocumentStore documents;
    private final CacheStore cache;

    /**
     * @param documents holds {@link Collections#PROFILES}.
     * @param cache     the profile cache.
     */
    public ProfileHandler(final DocumentStore documents, final CacheStore cache) {
        this.documents = documents;
        this.cache = cache;
    }

    @Override
    public ProfileResult GetProfiles(final ProfileRequest req) throws ServiceException {
        final List<Hotel> hotels = new ArrayList<>();
        if (req.getHotelIds() != null) {
            for (final String id : req.getHotelIds()) {
                hotels.add(profile(id));
            }
        }
        return new ProfileResult().setHotels(hotels);
    }

    private Hotel profile(final String id) throws ServiceException {
        final String key = Collections.PROFILE_KEY_PREFIX + id;
        final byte[] cached = ERRORS.memcached(() -> cache.get(key));
        if (cached != null) {
            try {
                return CacheJson.hotelFromJson(cached);
            } catch (final IOException e) {
                throw ERRORS.handler("cached profile under '" + key + "' is not JSON: " + e.getMessage());
            }
        }
        final Optional<Document> doc = ERRORS.mongo(() -> documents.findOne(Collections.PROFILES, Filters.eq("id", id)));
        if (doc.isEmpty()) {
            LOG.warn("no profile for hotel '{}'", id);
            return new Hotel();
        }
        final Hotel hotel = CacheJson.hotel(doc.get());
        ERRORS.memcachedDo(() -> cache.set(key, CacheJson.hotelJson(hotel), 0));
        return hotel;
    }
}
