package io.nightcorej.mediamicroservices;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import io.nightcorej.mediamicroservices.data.MovieDataLoader;
import io.nightcorej.mediamicroservices.frontend.MediaFrontend;
import io.nightcorej.mediamicroservices.service.CastInfoHandler;
import io.nightcorej.mediamicroservices.service.ComposeReviewHandler;
import io.nightcorej.mediamicroservices.service.MovieIdHandler;
import io.nightcorej.mediamicroservices.service.MovieInfoHandler;
import io.nightcorej.mediamicroservices.service.MovieReviewHandler;
import io.nightcorej.mediamicroservices.service.PageHandler;
import io.nightcorej.mediamicroservices.service.PlotHandler;
import io.nightcorej.mediamicroservices.service.RatingHandler;
import io.nightcorej.mediamicroservices.service.ReviewStorageHandler;
import io.nightcorej.mediamicroservices.service.ServiceNames;
import io.nightcorej.mediamicroservices.service.TextHandler;
import io.nightcorej.mediamicroservices.service.UniqueIdHandler;
import io.nightcorej.mediamicroservices.service.UserHandler;
import io.nightcorej.mediamicroservices.service.UserReviewHandler;
import io.nightcorej.mediamicroservices.thrift.CastInfoService;
import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.MovieIdService;
import io.nightcorej.mediamicroservices.thrift.MovieInfoService;
import io.nightcorej.mediamicroservices.thrift.MovieReviewService;
import io.nightcorej.mediamicroservices.thrift.PageService;
import io.nightcorej.mediamicroservices.thrift.PlotService;
import io.nightcorej.mediamicroservices.thrift.RatingService;
import io.nightcorej.mediamicroservices.thrift.ReviewStorageService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.TextService;
import io.nightcorej.mediamicroservices.thrift.UniqueIdService;
import io.nightcorej.mediamicroservices.thrift.UserReviewService;
import io.nightcorej.mediamicroservices.thrift.UserService;
import io.nightcorej.microservices.common.deploy.ServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.deploy.Workload;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TProcessor;

/**
 * DeathStarBench MediaMicroservices (movie reviewing) in NC's generation as a {@link Workload} named
 * {@code mediamicroservices}: the twelve Thrift services NC runs as Nightcore functions
 * ({@link ServiceNames#FUNCTIONS}), PageService (served when asked for by name; not a function in NC), the
 * {@code wrk2-api} front end, and {@link #load} = DSB's {@code register_users.sh} + {@code write_movie_info.py} on a
 * synthetic TMDB-shaped data set.
 *
 * <p>Settings besides microservices-common's: {@value #JWT_SECRET} (UserService.Login's HS256 key, default
 * {@code secret} as DSB), {@value #CALL_TIMEOUT_MS} (front end's last-resort bound on an upload, default
 * {@code rpc.timeout.ms} + 5000).
 */
public final class MediaMicroservicesWorkload implements Workload {

    /** The name on command lines. */
    public static final String NAME = "mediamicroservices";
    /** Setting: JWT secret. */
    public static final String JWT_SECRET = "mediamicroservices.jwt.secret";
    /** Setting: front-end join bound. */
    public static final String CALL_TIMEOUT_MS = "mediamicroservices.call.timeout.ms";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> services() {
        return ServiceNames.FUNCTIONS;
    }

    @Override
    public TProcessor processor(final String service, final ServiceEnvironment env) throws Exception {
        final ServiceCaller<ServiceException> caller = new ServiceCaller<>(env.clients(), ERRORS);
        switch (service) {
            case ServiceNames.UNIQUE_ID:
                return new UniqueIdService.Processor<>(new UniqueIdHandler(SnowflakeIds.process(), caller));
            case ServiceNames.MOVIE_ID:
                return new MovieIdService.Processor<>(new MovieIdHandler(env.documents(), env.cache(), caller));
            case ServiceNames.TEXT:
                return new TextService.Processor<>(new TextHandler(caller));
            case ServiceNames.RATING:
                return new RatingService.Processor<>(new RatingHandler(env.sortedSets(), caller));
            case ServiceNames.USER:
                return new UserService.Processor<>(new UserHandler(env.documents(), env.cache(), caller,
                        SnowflakeIds.process(), env.settings().getOrDefault(JWT_SECRET, "secret")));
            case ServiceNames.COMPOSE_REVIEW:
                return new ComposeReviewService.Processor<>(new ComposeReviewHandler(env.cache(), caller,
                        System::currentTimeMillis));
            case ServiceNames.REVIEW_STORAGE:
                return new ReviewStorageService.Processor<>(new ReviewStorageHandler(env.documents(), env.cache()));
            case ServiceNames.USER_REVIEW:
                return new UserReviewService.Processor<>(new UserReviewHandler(env.documents(), env.sortedSets(), caller));
            case ServiceNames.MOVIE_REVIEW:
                return new MovieReviewService.Processor<>(new MovieReviewHandler(env.documents(), env.sortedSets(), caller));
            case ServiceNames.CAST_INFO:
                return new CastInfoService.Processor<>(new CastInfoHandler(env.documents(), env.cache()));
            case ServiceNames.PLOT:
                return new PlotService.Processor<>(new PlotHandler(env.documents(), env.cache()));
            case ServiceNames.MOVIE_INFO:
                return new MovieInfoService.Processor<>(new MovieInfoHandler(env.documents(), env.cache()));
            case ServiceNames.PAGE:
                return new PageService.Processor<>(new PageHandler(caller));
            default:
                throw new IllegalArgumentException(NAME + " has no service '" + service + "'; services: "
                        + ServiceNames.FUNCTIONS + " and " + ServiceNames.PAGE);
        }
    }

    @Override
    public Map<String, HttpEndpoint> frontend(final ServiceEnvironment env) {
        final Settings s = new Settings(env.settings());
        final long rpcTimeout = s.getPositiveLong(Settings.RPC_TIMEOUT_MS, Settings.DEFAULT_CALL_TIMEOUT_MS);
        return new MediaFrontend(new ServiceCaller<>(env.clients(), ERRORS, s.getPositiveLong(CALL_TIMEOUT_MS, rpcTimeout + 5000)))
                .endpoints();
    }

    @Override
    public void load(final URI frontend, final Map<String, String> options) throws Exception {
        final MovieDataLoader.Result r = MovieDataLoader.fromOptions(frontend, options).run();
        System.err.printf("mediamicroservices load: %d users, %d cast infos, %d movies in %.1f s%n", r.users(), r.people(),
                r.movies(), r.seconds());
    }
}
