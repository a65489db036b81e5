package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.Reservation;
import io.nightcorej.hotelreservation.thrift.ReservationRequest;
import io.nightcorej.hotelreservation.thrift.ReservationResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * reservation.Reservation, as NC's {@code services/reservation/server.go}. For each night {@code d} in
 * [inDate, outDate):
 * <ul>
 *   <li>reserved rooms: memcached {@code reserve:<hotelId>_<d+1>_<d+1>} — upstream's key repeats the night's
 *       <em>end</em> date twice, kept here — else the sum of {@code number} over {@code reservation-db.reservation}
 *       documents {@code {hotelId, inDate: d, outDate: d+1}};</li>
 *   <li>capacity: memcached {@code reserve:<hotelId>_cap}, else {@code reservation-db.number.numberOfRoom} (then SET);</li>
 *   <li>{@code reserved + roomNumber > capacity} fails the night.</li>
 * </ul>
 * {@code CheckAvailability} SETs the reserved count on a miss and returns the hotels whose every night passes (a hotel
 * with an empty date range is not returned, as upstream). {@code MakeReservation} (first hotel id only) returns no
 * hotel when a night fails; otherwise it SETs every night's key to {@code reserved + roomNumber}, inserts one document
 * per night and returns the hotel id. The counter update is a read-modify-write without CAS, racy under concurrency
 * exactly as upstream's; an empty range "succeeds" without writing anything, as upstream.
 *
 * <p>Deviation: an unparsable date or a range of more than {@value #MAX_NIGHTS} nights is refused with a
 * {@code SE_THRIFT_HANDLER_ERROR}. Upstream ignores the parse error and iterates from year 1 (hundreds of thousands
 * of storage round trips); a hotel without a capacity document is an error here, a panic in NC.
 */
public final class ReservationHandler implements Reservation.Iface {

    /** The longest stay accepted. */
    public static final int MAX_NIGHTS = 366;

    private final DocumentStore documents;
    private final CacheStore cache;

    /**
     * @param documents holds {@link Collections#RESERVATIONS} and {@link Collections#CAPACITIES}.
     * @param cache     the counter cache.
     */
    public ReservationHandler(final DocumentStore documents, final CacheStore cache) {
        this.documents = documents;
        this.cache = cache;
    }

    @Override
    public ReservationResult MakeReservation(final ReservationRequest req) throws ServiceException {
        if (req.getHotelIdSize() == 0) {
            throw ERRORS.handler("MakeReservation needs a hotel id");
        }
        final String hotelId = req.getHotelId().get(0);
        final List<LocalDate> nights = nights(req);
        final Map<String, Integer> newCounts = new LinkedHashMap<>();
        for (final LocalDate night : nights) {
            final String key = nightKey(hotelId, night);
            final Integer cached = cachedInt(key);
            final int count = cached != null ? cached : reservedInStore(hotelId, night);
            newCounts.put(key, count + req.getRoomNumber());
            if (count + req.getRoomNumber() > capacity(hotelId)) {
                return new ReservationResult().setHotelId(new ArrayList<>());
            }
        }
        // only update the counters after every night passed, as upstream
        for (final Map.Entry<String, Integer> e : newCounts.entrySet()) {
            setInt(e.getKey(), e.getValue());
        }
        for (final LocalDate night : nights) {
            final Document doc = new Document("hotelId", hotelId).append("customerName", req.getCustomerName())
                    .append("inDate", night.toString()).append("outDate", night.plusDays(1).toString())
                    .append("number", req.getRoomNumber());
            ERRORS.mongoDo(() -> documents.insert(Collections.RESERVATIONS, doc));
        }
        final List<String> ids = new ArrayList<>(1);
        ids.add(hotelId);
        return new ReservationResult().setHotelId(ids);
    }

    @Override
    public ReservationResult CheckAvailability(final ReservationRequest req) throws ServiceException {
        final List<String> available = new ArrayList<>();
        if (req.getHotelIdSize() == 0) {
            return new ReservationResult().setHotelId(available);
        }
        final List<LocalDate> nights = nights(req);
        for (final String hotelId : req.getHotelId()) {
            boolean ok = !nights.isEmpty();
            for (final LocalDate night : nights) {
                final String key = nightKey(hotelId, night);
                Integer count = cachedInt(key);
                if (count == null) {
                    count = reservedInStore(hotelId, night);
                    setInt(key, count);
                }
                if (count + req.getRoomNumber() > capacity(hotelId)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                available.add(hotelId);
            }
        }
        return new ReservationResult().setHotelId(available);
    }

    /** The nights d in [inDate, outDate). */
    static List<LocalDate> nights(final ReservationRequest req) throws ServiceException {
        final LocalDate in = date("inDate", req.getInDate());
        final LocalDate out = date("outDate", req.getOutDate());
        final long n = ChronoUnit.DAYS.between(in, out);
        if (n > MAX_NIGHTS) {
            throw ERRORS.handler("a stay of " + n + " nights is longer than " + MAX_NIGHTS);
        }
        final List<LocalDate> nights = new ArrayList<>();
        for (LocalDate d = in; d.isBefore(out); d = d.plusDays(1)) {
            nights.add(d);
        }
        return nights;
    }

    private static LocalDate date(final String name, final String value) throws ServiceException {
        try {
            return LocalDate.parse(value == null ? "" : value);
        } catch (final DateTimeParseException e) {
            throw ERRORS.handler(name + " '" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    /** Upstream's key for the night starting at {@code night}: the night's end date, twice. */
    static String nightKey(final String hotelId, final LocalDate night) {
        final String end = night.plusDays(1).toString();
        return Collections.RESERVE_KEY_PREFIX + hotelId + "_" + end + "_" + end;
    }

    private int reservedInStore(final String hotelId, final LocalDate night) throws ServiceException {
        int count = 0;
        for (final Document d : ERRORS.mongo(() -> documents.find(Collections.RESERVATIONS, Filters.and(
                Filters.eq("hotelId", hotelId), Filters.eq("inDate", night.toString()),
                Filters.eq("outDate", night.plusDays(1).toString())), null, 0))) {
            count += (int) GeoHandler.number(d, "number");
        }
        return count;
    }

    private int capacity(final String hotelId) throws ServiceException {
        final String key = Collections.RESERVE_KEY_PREFIX + hotelId + "_cap";
        final Integer cached = cachedInt(key);
        if (cached != null) {
            return cached;
        }
        final Optional<Document> doc = ERRORS.mongo(() -> documents.findOne(Collections.CAPACITIES,
                Filters.eq("hotelId", hotelId)));
        if (doc.isEmpty()) {
            throw ERRORS.handler("no room count for hotel '" + hotelId + "'");
        }
        final int capacity = (int) GeoHandler.number(doc.get(), "numberOfRoom");
        setInt(key, capacity);
        return capacity;
    }

    /** @return the cached number, null on a miss; a value that is not a number reads as 0, like Go's Atoi. */
    private Integer cachedInt(final String key) throws ServiceException {
        final byte[] value = ERRORS.memcached(() -> cache.get(key));
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(new String(value, StandardCharsets.US_ASCII).trim());
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    private void setInt(final String key, final int value) throws ServiceException {
        ERRORS.memcachedDo(() -> cache.set(key, Integer.toString(value).getBytes(StandardCharsets.US_ASCII), 0));
    }
}
