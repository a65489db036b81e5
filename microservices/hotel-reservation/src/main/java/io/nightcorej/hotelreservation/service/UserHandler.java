package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.hotelreservation.thrift.User;
import io.nightcorej.hotelreservation.thrift.UserRequest;
import io.nightcorej.hotelreservation.thrift.UserResult;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bson.Document;

/**
 * user.User, as NC's: {@code user-db.user} loaded into a map on the first call; a user is correct when the stored
 * password equals the hex SHA-256 of the given one. <b>NC stores the passwords in plain text</b> ({@code str(i)*10}),
 * so every check of a real user answers false, and the front end answers "Failed. Please check your username and
 * password." — this port keeps that (deathstarbench.md §3.4, §5.7): it is the work the benchmark measured.
 */
public final class UserHandler implements User.Iface {

    private final LazyIndex<Map<String, String>> users;

    /** @param documents holds {@link Collections#USERS}. */
    public UserHandler(final DocumentStore documents) {
        this.users = new LazyIndex<>(() -> {
            final Map<String, String> all = new HashMap<>();
            for (final Document d : ERRORS.mongo(() -> documents.find(Collections.USERS, Filters.empty(), null, 0))) {
                all.put(d.getString("username"), d.getString("password"));
            }
            return Map.copyOf(all);
        });
    }

    @Override
    public UserResult CheckUser(final UserRequest req) throws ServiceException {
        final String stored = users.get().get(req.getUsername() == null ? "" : req.getUsername());
        final String password = req.getPassword() == null ? "" : req.getPassword();
        return new UserResult().setCorrect(stored != null && stored.equals(sha256Hex(password)));
    }

    static String sha256Hex(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
