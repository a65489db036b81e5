package io.nightcorej.hotelreservation.service;

import java.util.List;

/** The seven Thrift services, named after upstream's protobuf services; each is also a function name. */
public final class ServiceNames {

    public static final String SEARCH = "Search";
    public static final String GEO = "Geo";
    public static final String RATE = "Rate";
    public static final String PROFILE = "Profile";
    public static final String RECOMMENDATION = "Recommendation";
    public static final String RESERVATION = "Reservation";
    public static final String USER = "User";

    /** All services, in call-graph order. */
    public static final List<String> ALL = List.of(SEARCH, GEO, RATE, PROFILE, RECOMMENDATION, RESERVATION, USER);

    private ServiceNames() {
    }
}
