package io.nightcorej.hotelreservation.frontend;

import io.nightcorej.hotelreservation.service.ReservationHandler;
import io.nightcorej.hotelreservation.service.ServiceNames;
import io.nightcorej.hotelreservation.thrift.Hotel;
import io.nightcorej.hotelreservation.thrift.NearbyRequest;
import io.nightcorej.hotelreservation.thrift.Profile;
import io.nightcorej.hotelreservation.thrift.ProfileRequest;
import io.nightcorej.hotelreservation.thrift.Recommendation;
import io.nightcorej.hotelreservation.thrift.RecommendationRequest;
import io.nightcorej.hotelreservation.thrift.Reservation;
import io.nightcorej.hotelreservation.thrift.ReservationRequest;
import io.nightcorej.hotelreservation.thrift.ReservationResult;
import io.nightcorej.hotelreservation.thrift.Search;
import io.nightcorej.hotelreservation.thrift.SearchResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.hotelreservation.thrift.User;
import io.nightcorej.hotelreservation.thrift.UserRequest;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's HTTP front end ({@code services/frontend/server.go}): four paths, any method, parameters from the query
 * string (or an {@code application/x-www-form-urlencoded} body), unknown parameters ignored (the mixed workload's
 * {@code lat=nil&lon=nil} on /reservation):
 *
 * <table>
 *   <caption>endpoints</caption>
 *   <tr><th>path</th><th>params</th><th>calls (sequential)</th><th>200 body</th></tr>
 *   <tr><td>/hotels</td><td>inDate, outDate, lat, lon [, locale]</td>
 *       <td>Search.Nearby, Reservation.CheckAvailability(room 1), Profile.GetProfiles</td><td>GeoJSON</td></tr>
 *   <tr><td>/recommendations</td><td>require = dis|rate|price, lat, lon [, locale]</td>
 *       <td>Recommendation.GetRecommendations, Profile.GetProfiles</td><td>GeoJSON</td></tr>
 *   <tr><td>/user</td><td>username, password</td><td>User.CheckUser</td><td>{@code {"message":...}}</td></tr>
 *   <tr><td>/reservation</td><td>inDate, outDate, hotelId, customerName, username, password [, number]</td>
 *       <td>User.CheckUser, then Reservation.MakeReservation even if the check failed</td>
 *       <td>{@code {"message":...}}</td></tr>
 * </table>
 *
 * A missing parameter is 400 with upstream's text ({@code Please specify inDate params}); a service failure is 500
 * with its message. Beyond upstream, a non-numeric lat/lon and a malformed date are also 400 (upstream silently
 * uses 0 for the former and, for /hotels, loops from year 1 for the latter); {@code number} that is not an integer
 * is 0, as upstream's ignored {@code Atoi} error.
 */
public final class HotelReservationFrontend {

    static final String USER_FAILED = "Failed. Please check your username and password. ";
    static final String ALREADY_RESERVED = "Failed. Already reserved. ";

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach the services. */
    public HotelReservationFrontend(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    /** @return the endpoints by path. */
    public Map<String, HttpEndpoint> endpoints() {
        final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("/hotels", this::hotels);
        endpoints.put("/recommendations", this::recommendations);
        endpoints.put("/user", this::user);
        endpoints.put("/reservation", this::reservation);
        return endpoints;
    }

    /** A request upstream would refuse (or should have): answered 400 with the text. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(final String message) {
            super(message);
        }
    }

    HttpResponse hotels(final HttpRequest r) {
        final String inDate;
        final String outDate;
        final double lat;
        final double lon;
        try {
            inDate = required(r, "inDate", "Please specify inDate params");
            outDate = required(r, "outDate", "Please specify outDate params");
            lat = coordinate(required(r, "lat", "Please specify location params"));
            lon = coordinate(required(r, "lon", "Please specify location params"));
            checkDates(inDate, outDate);
        } catch (final BadRequest e) {
            return HttpResponse.text(400, e.getMessage() + "\n");
        }
        final String locale = localeOf(r);
        try {
            // upstream parses lat/lon as float32 for search (its NearbyRequest has float fields)
            final SearchResult found = caller.call(ServiceNames.SEARCH, new Search.Client.Factory(),
                    c -> c.Nearby(new NearbyRequest().setLat((float) lat).setLon((float) lon).setInDate(inDate)
                            .setOutDate(outDate)));
            final ReservationResult available = caller.call(ServiceNames.RESERVATION, new Reservation.Client.Factory(),
                    c -> c.CheckAvailability(new ReservationRequest().setCustomerName("").setHotelId(idsOf(found.getHotelIds()))
                            .setInDate(inDate).setOutDate(outDate).setRoomNumber(1)));
            return geoJson(profiles(available.getHotelId(), locale));
        } catch (final ServiceException e) {
            return failure(e);
        }
    }

    HttpResponse recommendations(final HttpRequest r) {
        final double lat;
        final double lon;
        final String require;
        try {
            lat = coordinate(required(r, "lat", "Please specify location params"));
            lon = coordinate(required(r, "lon", "Please specify location params"));
            require = required(r, "require", "Please specify require params");
            if (!"dis".equals(require) && !"rate".equals(require) && !"price".equals(require)) {
                throw new BadRequest("Please specify require params");
            }
        } catch (final BadRequest e) {
            return HttpResponse.text(400, e.getMessage() + "\n");
        }
        final String locale = localeOf(r);
        try {
            final List<String> ids = caller.call(ServiceNames.RECOMMENDATION, new Recommendation.Client.Factory(),
                    c -> c.GetRecommendations(new RecommendationRequest().setRequire(require).setLat(lat).setLon(lon)))
                    .getHotelIds();
            return geoJson(profiles(ids, locale));
        } catch (final ServiceException e) {
            return failure(e);
        }
    }

    HttpResponse user(final HttpRequest r) {
        final String username;
        final String password;
        try {
            username = required(r, "username", "Please specify username params");
            password = required(r, "password", "Please specify password params");
        } catch (final BadRequest e) {
            return HttpResponse.text(400, e.getMessage() + "\n");
        }
        try {
            final boolean correct = checkUser(username, password);
            return message(correct ? "Login successfully!" : USER_FAILED);
        } catch (final ServiceException e) {
            return failure(e);
        }
    }

    HttpResponse reservation(final HttpRequest r) {
        final String inDate;
        final String outDate;
        final String hotelId;
        final String customerName;
        final String username;
        final String password;
        try {
            inDate = required(r, "inDate", "Please specify inDate params");
            outDate = required(r, "outDate", "Please specify outDate params");
            checkDates(inDate, outDate);
            hotelId = required(r, "hotelId", "Please specify hotelId params");
            customerName = required(r, "customerName", "Please specify customerName params");
            username = required(r, "username", "Please specify username params");
            password = required(r, "password", "Please specify password params");
        } catch (final BadRequest e) {
            return HttpResponse.text(400, e.getMessage() + "\n");
        }
        final int rooms = roomsOf(r.param("number"));
        try {
            String message = checkUser(username, password) ? "Reserve successfully!" : USER_FAILED;
            // upstream makes the reservation even when the credentials were wrong; only the message differs
            final ReservationResult made = caller.call(ServiceNames.RESERVATION, new Reservation.Client.Factory(),
                    c -> c.MakeReservation(new ReservationRequest().setCustomerName(customerName)
                            .setHotelId(idsOf(List.of(hotelId))).setInDate(inDate).setOutDate(outDate)
                            .setRoomNumber(rooms)));
            if (made.getHotelIdSize() == 0) {
                message = ALREADY_RESERVED;
            }
            return message(message);
        } catch (final ServiceException e) {
            return failure(e);
        }
    }

    private boolean checkUser(final String username, final String password) throws ServiceException {
        return caller.call(ServiceNames.USER, new User.Client.Factory(),
                c -> c.CheckUser(new UserRequest().setUsername(username).setPassword(password))).isCorrect();
    }

    private List<Hotel> profiles(final List<String> ids, final String locale) throws ServiceException {
        final List<Hotel> hotels = caller.call(ServiceNames.PROFILE, new Profile.Client.Factory(),
                c -> c.GetProfiles(new ProfileRequest().setHotelIds(idsOf(ids)).setLocale(locale))).getHotels();
        return hotels == null ? List.of() : hotels;
    }

    private static List<String> idsOf(final List<String> ids) {
        return ids == null ? new ArrayList<>() : new ArrayList<>(ids);
    }

    private static String localeOf(final HttpRequest r) {
        final String locale = r.param("locale");
        return locale == null ? "en" : locale;
    }

    /** Upstream tests presence only ({@code input["lat"]}, exist); an empty value counts as present. */
    private static String required(final HttpRequest r, final String name, final String message) throws BadRequest {
        final String value = r.param(name);
        if (value == null) {
            throw new BadRequest(message);
        }
        return value;
    }

    private static double coordinate(final String value) throws BadRequest {
        try {
            final double v = Double.parseDouble(value.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (final NumberFormatException e) {
            // answered below
        }
        throw new BadRequest("Please check location params: '" + value + "' is not a number");
    }

    /** Upstream's {@code checkDataFormat} (DDDD-DD-DD), plus a real calendar date and at most a year's stay. */
    static void checkDates(final String inDate, final String outDate) throws BadRequest {
        final String format = "Please check inDate/outDate format (YYYY-MM-DD)";
        if (!dateFormat(inDate) || !dateFormat(outDate)) {
            throw new BadRequest(format);
        }
        try {
            final LocalDate in = LocalDate.parse(inDate);
            final LocalDate out = LocalDate.parse(outDate);
            if (out.isAfter(in.plusDays(ReservationHandler.MAX_NIGHTS))) {
                throw new BadRequest("Please check inDate/outDate: stays of more than "
                        + ReservationHandler.MAX_NIGHTS + " nights are not served");
            }
        } catch (final DateTimeParseException e) {
            throw new BadRequest(format);
        }
    }

    private static boolean dateFormat(final String date) {
        if (date.length() != 10) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            final char c = date.charAt(i);
            if (i == 4 || i == 7 ? c != '-' : c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int roomsOf(final String number) {
        if (number == null) {
            return 0;
        }
        try {
            return Integer.parseInt(number);
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    private static HttpResponse geoJson(final List<Hotel> hotels) {
        return HttpResponse.json(200, GeoJson.featureCollection(hotels));
    }

    private static HttpResponse message(final String message) {
        return HttpResponse.json(200, GeoJson.message(message));
    }

    private static HttpResponse failure(final ServiceException e) {
        return HttpResponse.text(500, e.getMessage() + "\n");
    }
}
