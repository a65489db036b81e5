package io.nightcorej.hotelreservation.data;

import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.HotelReservationWorkload;
import io.nightcorej.hotelreservation.service.ServiceNames;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Start-up seeding: several workers of the same service starting at once leave exactly one copy of the data. */
class SeederTest {

    @Test
    void workersStartingTogetherSeedEachDocumentOnce() throws Exception {
        try (EmbeddedStorage storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0)) {
            final HotelReservationWorkload workload = new HotelReservationWorkload();
            final List<DefaultServiceEnvironment> envs = new ArrayList<>();
            final ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                final List<Future<?>> starts = new ArrayList<>();
                for (int worker = 0; worker < 4; worker++) {
                    for (final String service : List.of(ServiceNames.USER, ServiceNames.RESERVATION)) {
                        // each worker has its own environment (its own connections), as separate processes would
                        final DefaultServiceEnvironment env = DefaultServiceEnvironment.withClients(
                                new Settings(InProcessHotel.settings(storage)), new InProcessServiceClients());
                        envs.add(env);
                        starts.add(pool.submit(() -> workload.processor(service, env)));
                    }
                }
                for (final Future<?> f : starts) {
                    f.get(60, TimeUnit.SECONDS);
                }
                final DocumentStore docs = envs.get(0).documents();
                assertThat(docs.find(Collections.USERS, Filters.empty(), null, 0)).hasSize(10_001);
                assertThat(docs.find(Collections.CAPACITIES, Filters.empty(), null, 0)).hasSize(1000);
                assertThat(docs.find(Collections.RESERVATIONS, Filters.empty(), null, 0)).hasSize(1);
                // a later start finds the marker and writes nothing; a reservation made meanwhile is kept
                docs.insert(Collections.RESERVATIONS, new Document("hotelId", "5").append("customerName", "Carol")
                        .append("inDate", "2015-04-11").append("outDate", "2015-04-12").append("number", 1));
                assertThat(Seeder.seed(docs, Collections.RESERVATIONS, HotelData.seedReservations(), "hotelId", false)).isFalse();
                workload.processor(ServiceNames.RESERVATION, envs.get(1));
                assertThat(docs.find(Collections.RESERVATIONS, Filters.empty(), null, 0)).hasSize(2);
                // a seeding cut short (here: only the first half written) is completed, not duplicated, next time
                assertThat(Seeder.seed(docs, "hotel-partial", HotelData.users(5000), null, false)).isTrue();
                assertThat(Seeder.seed(docs, "hotel-partial", HotelData.users(10_000), null, false)).isTrue();
                assertThat(docs.find("hotel-partial", Filters.empty(), null, 0)).hasSize(10_001);
            } finally {
                pool.shutdownNow();
                envs.forEach(DefaultServiceEnvironment::close);
            }
        }
    }
}
