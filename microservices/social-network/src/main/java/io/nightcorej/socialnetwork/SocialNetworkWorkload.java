package io.nightcorej.socialnetwork;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import io.nightcorej.microservices.common.deploy.ServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Workload;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.socialnetwork.frontend.SocialNetworkFrontend;
import io.nightcorej.socialnetwork.loader.SocialGraphLoader;
import io.nightcorej.socialnetwork.service.ComposePostHandler;
import io.nightcorej.socialnetwork.service.HomeTimelineHandler;
import io.nightcorej.socialnetwork.service.MediaHandler;
import io.nightcorej.socialnetwork.service.PostStorageHandler;
import io.nightcorej.socialnetwork.service.ServiceNames;
import io.nightcorej.socialnetwork.service.Settings;
import io.nightcorej.socialnetwork.service.SocialGraphHandler;
import io.nightcorej.socialnetwork.service.TextHandler;
import io.nightcorej.socialnetwork.service.UniqueIdHandler;
import io.nightcorej.socialnetwork.service.UrlShortenHandler;
import io.nightcorej.socialnetwork.service.UserHandler;
import io.nightcorej.socialnetwork.service.UserMentionHandler;
import io.nightcorej.socialnetwork.service.UserTimelineHandler;
import io.nightcorej.socialnetwork.thrift.ComposePostService;
import io.nightcorej.socialnetwork.thrift.HomeTimelineService;
import io.nightcorej.socialnetwork.thrift.MediaService;
import io.nightcorej.socialnetwork.thrift.PostStorageService;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.TextService;
import io.nightcorej.socialnetwork.thrift.UniqueIdService;
import io.nightcorej.socialnetwork.thrift.UrlShortenService;
import io.nightcorej.socialnetwork.thrift.UserMentionService;
import io.nightcorej.socialnetwork.thrift.UserService;
import io.nightcorej.socialnetwork.thrift.UserTimelineService;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TProcessor;

/**
 * DeathStarBench SocialNetwork (current upstream generation) as a {@link Workload} named {@code socialnetwork}: eleven
 * Thrift services whose handlers only see a {@link ServiceEnvironment}, so the same processors run as RPC servers,
 * Nightcore functions or OpenFaaS-style functions.
 */
public final class SocialNetworkWorkload implements Workload {

    /** The name on command lines. */
    public static final String NAME = "socialnetwork";

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
        final Map<String, String> settings = env.settings();
        switch (service) {
            case ServiceNames.UNIQUE_ID:
                return new UniqueIdService.Processor<>(new UniqueIdHandler(snowflake(settings)));
            case ServiceNames.TEXT:
                return new TextService.Processor<>(new TextHandler(caller(env)));
            case ServiceNames.USER:
                return new UserService.Processor<>(new UserHandler(env.documents(), env.cache(), caller(env),
                        snowflake(settings), Settings.jwtSecret(settings)));
            case ServiceNames.COMPOSE_POST:
                return new ComposePostService.Processor<>(new ComposePostHandler(caller(env)));
            case ServiceNames.POST_STORAGE:
                return new PostStorageService.Processor<>(new PostStorageHandler(env.documents(), env.cache()));
            case ServiceNames.HOME_TIMELINE:
                return new HomeTimelineService.Processor<>(new HomeTimelineHandler(env.sortedSets(), caller(env)));
            case ServiceNames.USER_TIMELINE:
                return new UserTimelineService.Processor<>(new UserTimelineHandler(env.documents(), env.sortedSets(),
                        caller(env)));
            case ServiceNames.SOCIAL_GRAPH:
                return new SocialGraphService.Processor<>(new SocialGraphHandler(env.documents(), env.sortedSets(),
                        caller(env)));
            case ServiceNames.USER_MENTION:
                return new UserMentionService.Processor<>(new UserMentionHandler(env.documents(), env.cache()));
            case ServiceNames.URL_SHORTEN:
                return new UrlShortenService.Processor<>(new UrlShortenHandler(env.documents()));
            case ServiceNames.MEDIA:
                return new MediaService.Processor<>(new MediaHandler());
            default:
                throw new IllegalArgumentException("socialnetwork has no service '" + service + "'; services: " + ServiceNames.ALL);
        }
    }

    @Override
    public Map<String, HttpEndpoint> frontend(final ServiceEnvironment env) {
        return new SocialNetworkFrontend(caller(env)).endpoints();
    }

    @Override
    public void load(final URI frontend, final Map<String, String> options) throws Exception {
        SocialGraphLoader.fromOptions(frontend, options).load();
    }

    private static ServiceCaller<ServiceException> caller(final ServiceEnvironment env) {
        return new ServiceCaller<>(env.clients(), ERRORS, Settings.callTimeoutMs(env.settings()));
    }

    private static SnowflakeIds snowflake(final Map<String, String> settings) {
        final String machineId = settings.get(Settings.MACHINE_ID);
        return machineId == null ? SnowflakeIds.process()
                : new SnowflakeIds(Long.parseLong(machineId), System::currentTimeMillis);
    }
}
