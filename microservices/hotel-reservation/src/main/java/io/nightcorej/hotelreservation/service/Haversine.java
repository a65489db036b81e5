package io.nightcorej.hotelreservation.service;

/** Great-circle distance as go-geoindex's {@code Distance} computes it (haversine, R = 6371 km). */
public final class Haversine {

    static final double EARTH_RADIUS_KM = 6371.0;

    private Haversine() {
    }

    /** @return the distance in km between two points given in degrees. */
    public static double km(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double dLat = Math.toRadians(lat2 - lat1);
        final double dLon = Math.toRadians(lon2 - lon1);
        final double sinLat = Math.sin(dLat / 2);
        final double sinLon = Math.sin(dLon / 2);
        final double a = sinLat * sinLat + sinLon * sinLon * Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2));
        return EARTH_RADIUS_KM * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }
}
