package io.nightcorej.hotelreservation.frontend;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.nightcorej.hotelreservation.thrift.Address;
import io.nightcorej.hotelreservation.thrift.Hotel;
import java.math.BigDecimal;
import java.util.List;

/**
 * The front end's JSON bodies, byte for byte as upstream's Go front end writes them with
 * {@code json.NewEncoder(w).Encode(map...)}: object keys sorted (Go marshals maps in key order), coordinates as
 * float32 in shortest form ({@code -122.4112}, not {@code -122.41120147705078}), a trailing newline.
 *
 * <pre>
 * {"features":[{"geometry":{"coordinates":[lon,lat],"type":"Point"},"id":"1",
 *   "properties":{"name":"Clift Hotel","phone_number":"(415) 775-4700"},"type":"Feature"}],"type":"FeatureCollection"}
 * {"message":"Reserve successfully!"}
 * </pre>
 */
final class GeoJson {

    private GeoJson() {
    }

    /** @return upstream's {@code geoJSONResponse}: a FeatureCollection of the hotels, in order. */
    static String featureCollection(final List<Hotel> hotels) {
        final StringBuilder out = new StringBuilder(64 + 160 * hotels.size()).append("{\"features\":[");
        for (int i = 0; i < hotels.size(); i++) {
            final Hotel h = hotels.get(i);
            final Address a = h.getAddress();
            final double lat = a == null ? 0 : a.getLat();
            final double lon = a == null ? 0 : a.getLon();
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"geometry\":{\"coordinates\":[").append(float32(lon)).append(',').append(float32(lat))
                    .append("],\"type\":\"Point\"},\"id\":");
            string(out, h.getId());
            out.append(",\"properties\":{\"name\":");
            string(out, h.getName());
            out.append(",\"phone_number\":");
            string(out, h.getPhoneNumber());
            out.append("},\"type\":\"Feature\"}");
        }
        return out.append("],\"type\":\"FeatureCollection\"}\n").toString();
    }

    /** @return {@code {"message":...}} and a newline. */
    static String message(final String message) {
        final StringBuilder out = new StringBuilder("{\"message\":");
        string(out, message);
        return out.append("}\n").toString();
    }

    /** A float32 in Go's shortest decimal form ({@code strconv.FormatFloat(f, 'f', -1, 32)}). */
    static String float32(final double value) {
        final float f = (float) value;
        if (f == 0 || !Float.isFinite(f)) {
            return "0";
        }
        return new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
    }

    private static void string(final StringBuilder out, final String s) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s, out);
        out.append('"');
    }
}
