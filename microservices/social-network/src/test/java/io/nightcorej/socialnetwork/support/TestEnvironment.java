package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.deploy.ServiceEnvironment;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.transport.ServiceClients;
import java.util.Map;

/** Test fixture: a {@link ServiceEnvironment} over given stores and clients. */
public record TestEnvironment(Map<String, String> settings, DocumentStore documents, CacheStore cache,
        SortedSetStore sortedSets, ServiceClients clients) implements ServiceEnvironment {

    /** @return an environment over the storage and clients. */
    public static TestEnvironment of(final Storage storage, final ServiceClients clients) {
        return new TestEnvironment(Map.of("socialnetwork.call.timeout.ms", "5000"), storage.documents, storage.cache,
                storage.sortedSets, clients);
    }

    @Override
    public void close() {
    }
}
