package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.transport.ServiceClients;
import java.util.Map;

/**
 * What a deployment hands a service or a front end: its settings, its storage and its way to reach other services.
 * Stores are opened on first use, so a service that needs no cache never connects to one.
 *
 * <p>Settings are one flat string map shared by every deployment: command-line {@code --set key=value} pairs for RPC
 * servers and front ends, the {@code settings} object of a function in the Nightcore stack config. The keys are
 * documented in {@code microservices/README.md}.
 */
public interface ServiceEnvironment extends AutoCloseable {

    /** @return all settings. */
    Map<String, String> settings();

    /** @return the document store (MongoDB role). */
    DocumentStore documents();

    /** @return the cache (memcached role). */
    CacheStore cache();

    /** @return the sorted-set store (Redis role). */
    SortedSetStore sortedSets();

    /** @return clients to other services, over the transport the deployment chose. */
    ServiceClients clients();

    @Override
    void close();
}
