package io.nightcorej.hotelreservation.support;

import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.hotelreservation.HotelReservationWorkload;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test fixture: the whole workload in one JVM, as the function deployment wires it. Fresh embedded storage (the real
 * MongoDB driver and spymemcached against mongo-java-server and the memcached-protocol server on loopback sockets),
 * every service's processor built by {@link HotelReservationWorkload#processor} (so its data is seeded exactly as at a
 * real start) and served through {@link InProcessServiceClients}, and the front end's endpoints over the same clients.
 */
public final class InProcessHotel implements AutoCloseable {

    public final EmbeddedStorage storage;
    public final InProcessServiceClients clients = new InProcessServiceClients();
    public final DefaultServiceEnvironment env;
    public final Map<String, HttpEndpoint> endpoints;
    public final HotelReservationWorkload workload = new HotelReservationWorkload();

    /** Starts storage and all services with NC's full data set. */
    public InProcessHotel() throws Exception {
        storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0);
        env = DefaultServiceEnvironment.withClients(new Settings(settings(storage)), clients);
        for (final String service : workload.services()) {
            clients.register(service, workload.processor(service, env));
        }
        endpoints = workload.frontend(env);
    }

    /** @return the settings a deployment would pass for this storage. */
    public static Map<String, String> settings(final EmbeddedStorage storage) {
        final Map<String, String> settings = new LinkedHashMap<>(storage.settings());
        settings.put("workload", HotelReservationWorkload.NAME);
        settings.put("storage.timeout.ms", "3000");
        return settings;
    }

    public DocumentStore documents() {
        return env.documents();
    }

    public CacheStore cache() {
        return env.cache();
    }

    @Override
    public void close() {
        env.close();
        storage.close();
    }
}
