package io.nightcorej.hotelreservation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.hotelreservation.thrift.Address;
import io.nightcorej.hotelreservation.thrift.Hotel;
import io.nightcorej.hotelreservation.thrift.Image;
import io.nightcorej.hotelreservation.thrift.RatePlan;
import io.nightcorej.hotelreservation.thrift.RoomType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The memcached values of Rate and Profile: upstream stores Go's {@code json.Marshal} of the protobuf message
 * (field names as in the .proto, empty fields omitted), and so does this; documents from the store are read
 * field by field with upstream's BSON names.
 */
final class CacheJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CacheJson() {
    }

    static RatePlan ratePlan(final Document d) {
        final RatePlan plan = new RatePlan().setHotelId(str(d, "hotelId")).setCode(str(d, "code"))
                .setInDate(str(d, "inDate")).setOutDate(str(d, "outDate"));
        final Document rt = d.get("roomType", Document.class);
        if (rt != null) {
            plan.setRoomType(new RoomType().setBookableRate(GeoHandler.number(rt, "bookableRate"))
                    .setTotalRate(GeoHandler.number(rt, "totalRate"))
                    .setTotalRateInclusive(GeoHandler.number(rt, "totalRateInclusive"))
                    .setCode(str(rt, "code")).setCurrency(str(rt, "currency"))
                    .setRoomDescription(str(rt, "roomDescription")));
        }
        return plan;
    }

    static String ratePlanJson(final RatePlan p) {
        final ObjectNode o = JSON.createObjectNode();
        putText(o, "hotelId", p.getHotelId());
        putText(o, "code", p.getCode());
        putText(o, "inDate", p.getInDate());
        putText(o, "outDate", p.getOutDate());
        final RoomType rt = p.getRoomType();
        if (rt != null) {
            final ObjectNode r = o.putObject("roomType");
            putNumber(r, "bookableRate", rt.getBookableRate());
            putNumber(r, "totalRate", rt.getTotalRate());
            putNumber(r, "totalRateInclusive", rt.getTotalRateInclusive());
            putText(r, "code", rt.getCode());
            putText(r, "currency", rt.getCurrency());
            putText(r, "roomDescription", rt.getRoomDescription());
        }
        return o.toString();
    }

    static RatePlan ratePlanFromJson(final String json) throws IOException {
        final JsonNode o = JSON.readTree(json);
        final RatePlan plan = new RatePlan().setHotelId(text(o, "hotelId")).setCode(text(o, "code"))
                .setInDate(text(o, "inDate")).setOutDate(text(o, "outDate"));
        final JsonNode r = o.get("roomType");
        if (r != null && r.isObject()) {
            plan.setRoomType(new RoomType().setBookableRate(r.path("bookableRate").asDouble())
                    .setTotalRate(r.path("totalRate").asDouble())
                    .setTotalRateInclusive(r.path("totalRateInclusive").asDouble())
                    .setCode(text(r, "code")).setCurrency(text(r, "currency"))
                    .setRoomDescription(text(r, "roomDescription")));
        }
        return plan;
    }

    static Hotel hotel(final Document d) {
        final Hotel h = new Hotel().setId(str(d, "id")).setName(str(d, "name"))
                .setPhoneNumber(str(d, "phoneNumber")).setDescription(str(d, "description"));
        final Document a = d.get("address", Document.class);
        if (a != null) {
            h.setAddress(new Address().setStreetNumber(str(a, "streetNumber")).setStreetName(str(a, "streetName"))
                    .setCity(str(a, "city")).setState(str(a, "state")).setCountry(str(a, "country"))
                    .setPostalCode(str(a, "postalCode")).setLat(GeoHandler.number(a, "lat"))
                    .setLon(GeoHandler.number(a, "lon")));
        }
        return h;
    }

    static byte[] hotelJson(final Hotel h) {
        final ObjectNode o = JSON.createObjectNode();
        putText(o, "id", h.getId());
        putText(o, "name", h.getName());
        putText(o, "phoneNumber", h.getPhoneNumber());
        putText(o, "description", h.getDescription());
        final Address a = h.getAddress();
        if (a != null) {
            final ObjectNode j = o.putObject("address");
            putText(j, "streetNumber", a.getStreetNumber());
            putText(j, "streetName", a.getStreetName());
            putText(j, "city", a.getCity());
            putText(j, "state", a.getState());
            putText(j, "country", a.getCountry());
            putText(j, "postalCode", a.getPostalCode());
            putNumber(j, "lat", a.getLat());
            putNumber(j, "lon", a.getLon());
        }
        if (h.getImagesSize() > 0) {
            final ArrayNode images = o.putArray("images");
            for (final Image i : h.getImages()) {
                final ObjectNode j = images.addObject();
                putText(j, "url", i.getUrl());
                if (i.isIsDefault()) {
                    j.put("default", true);
                }
            }
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Hotel hotelFromJson(final byte[] json) throws IOException {
        final JsonNode o = JSON.readTree(json);
        final Hotel h = new Hotel().setId(text(o, "id")).setName(text(o, "name"))
                .setPhoneNumber(text(o, "phoneNumber")).setDescription(text(o, "description"));
        final JsonNode a = o.get("address");
        if (a != null && a.isObject()) {
            h.setAddress(new Address().setStreetNumber(text(a, "streetNumber")).setStreetName(text(a, "streetName"))
                    .setCity(text(a, "city")).setState(text(a, "state")).setCountry(text(a, "country"))
                    .setPostalCode(text(a, "postalCode")).setLat(a.path("lat").asDouble())
                    .setLon(a.path("lon").asDouble()));
        }
        final JsonNode images = o.get("images");
        if (images != null && images.isArray()) {
            final List<Image> list = new ArrayList<>();
            for (final JsonNode i : images) {
                list.add(new Image().setUrl(text(i, "url")).setIsDefault(i.path("default").asBoolean()));
            }
            h.setImages(list);
        }
        return h;
    }

    /** proto3 semantics: an absent string is the empty string, so a cache hit equals the miss that filled it. */
    private static String str(final Document d, final String name) {
        final String v = d.getString(name);
        return v == null ? "" : v;
    }

    private static void putText(final ObjectNode o, final String name, final String value) {
        if (value != null && !value.isEmpty()) {
            o.put(name, value);
        }
    }

    private static void putNumber(final ObjectNode o, final String name, final double value) {
        if (value != 0) {
            o.put(name, value);
        }
    }

    private static String text(final JsonNode o, final String name) {
        final JsonNode v = o.get(name);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
