package io.nightcorej.hotelreservation;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;

import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.data.HotelData;
import io.nightcorej.hotelreservation.data.Seeder;
import io.nightcorej.hotelreservation.frontend.HotelReservationFrontend;
import io.nightcorej.hotelreservation.service.GeoHandler;
import io.nightcorej.hotelreservation.service.ProfileHandler;
import io.nightcorej.hotelreservation.service.RateHandler;
import io.nightcorej.hotelreservation.service.RecommendationHandler;
import io.nightcorej.hotelreservation.service.ReservationHandler;
import io.nightcorej.hotelreservation.service.SearchHandler;
import io.nightcorej.hotelreservation.service.ServiceNames;
import io.nightcorej.hotelreservation.service.UserHandler;
import io.nightcorej.hotelreservation.thrift.Geo;
import io.nightcorej.hotelreservation.thrift.Profile;
import io.nightcorej.hotelreservation.thrift.Rate;
import io.nightcorej.hotelreservation.thrift.Recommendation;
import io.nightcorej.hotelreservation.thrift.Reservation;
import io.nightcorej.hotelreservation.thrift.Search;
import io.nightcorej.hotelreservation.thrift.User;
import io.nightcorej.microservices.common.deploy.ServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.deploy.Workload;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TProcessor;

/**
 * DeathStarBench HotelReservation in NC's generation as a {@link Workload} named {@code hotelreservation}: seven
 * Thrift services translated from upstream's protobuf, handlers that only see a {@link ServiceEnvironment}, and
 * upstream's HTTP front end.
 *
 * <p><b>Data.</b> As in NC, each service generates its own data when it starts ({@link #processor} seeds the
 * service's collections through {@link Seeder}: idempotent, safe when several workers start at once, one lookup when
 * already done). So a stack is usable as soon as it is up, in every deployment; {@link #load} only checks that
 * through the front end and warms the per-process in-memory indexes.
 *
 * <p>Settings: {@value #HOTELS} (default 1000, NC's N) and {@value #MAX_USER} (default 10000: users
 * Cornell_0..Cornell_10000); every service of a deployment must see the same values.
 */
public final class HotelReservationWorkload implements Workload {

    /** The name on command lines. */
    public static final String NAME = "hotelreservation";
    /** Setting: number of hotels generated. */
    public static final String HOTELS = "hotelreservation.hotels";
    /** Setting: the highest user number generated. */
    public static final String MAX_USER = "hotelreservation.users";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> services() {
        return ServiceNames.ALL;
    }

    @Override
    public TProcessor processor(final String service, final ServiceEnvironment env) throws Exception {
        final Settings settings = new Settings(env.settings());
        final int hotels = settings.getPositiveInt(HOTELS, HotelData.NC_HOTELS);
        switch (service) {
            case ServiceNames.SEARCH:
                return new Search.Processor<>(new SearchHandler(new ServiceCaller<>(env.clients(), ERRORS)));
            case ServiceNames.GEO: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.GEO, HotelData.geo(hotels), null, false);
                return new Geo.Processor<>(new GeoHandler(docs));
            }
            case ServiceNames.RATE: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.INVENTORY, HotelData.ratePlans(hotels), "hotelId", false);
                return new Rate.Processor<>(new RateHandler(docs, env.cache()));
            }
            case ServiceNames.PROFILE: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.PROFILES, HotelData.profiles(hotels), "id", true);
                return new Profile.Processor<>(new ProfileHandler(docs, env.cache()));
            }
            case ServiceNames.RECOMMENDATION: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.RECOMMENDATIONS, HotelData.recommendations(hotels), null, false);
                return new Recommendation.Processor<>(new RecommendationHandler(docs));
            }
            case ServiceNames.RESERVATION: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.CAPACITIES, HotelData.capacities(hotels), "hotelId", true);
                Seeder.seed(docs, Collections.RESERVATIONS, HotelData.seedReservations(), "hotelId", false);
                return new Reservation.Processor<>(new ReservationHandler(docs, env.cache()));
            }
            case ServiceNames.USER: {
                final DocumentStore docs = env.documents();
                Seeder.seed(docs, Collections.USERS, HotelData.users(settings.getPositiveInt(MAX_USER, HotelData.NC_MAX_USER)),
                        null, false);
                return new User.Processor<>(new UserHandler(docs));
            }
            default:
                throw new IllegalArgumentException(NAME + " has no service '" + service + "'; services: " + ServiceNames.ALL);
        }
    }

    @Override
    public Map<String, HttpEndpoint> frontend(final ServiceEnvironment env) {
        return new HotelReservationFrontend(new ServiceCaller<>(env.clients(), ERRORS)).endpoints();
    }

    @Override
    public void load(final URI frontend, final Map<String, String> options) throws Exception {
        ReadinessCheck.fromOptions(frontend, options).run();
    }
}
