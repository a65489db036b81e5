package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.http.HttpEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TProcessor;

/**
 * One ported benchmark application (SocialNetwork, MovieReview, HotelReservation), described so that every deployment
 * can run it without knowing its business logic: the RPC-server deployment, Nightcore functions and the
 * OpenFaaS-style baseline all build the same processors from the same handlers.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} and selected by {@link #name()}.
 */
public interface Workload {

    /** @return the workload's name on command lines, e.g. {@code socialnetwork}. */
    String name();

    /** @return the Thrift service names; each is also the function name in the function deployments. */
    List<String> services();

    /**
     * Builds the processor serving one service, with its handler wired to the environment's storage and clients.
     *
     * @param service one of {@link #services()}.
     * @param env     storage, clients to other services and settings, chosen by the deployment.
     * @return the generated processor around the handler.
     * @throws Exception when the service cannot start (for example its storage is unreachable).
     */
    TProcessor processor(String service, ServiceEnvironment env) throws Exception;

    /**
     * The HTTP front end (DeathStarBench's nginx/Lua API), which calls services through {@code env.clients()}.
     *
     * @param env the front end's environment.
     * @return endpoints by exact path, e.g. {@code /wrk2-api/post/compose}.
     */
    Map<String, HttpEndpoint> frontend(ServiceEnvironment env);

    /**
     * Loads the workload's data set through the public HTTP API of a running front end.
     *
     * @param frontend the front end's base URL.
     * @param options  loader options (workload-specific, e.g. {@code compose_posts=100}).
     * @throws Exception when loading fails; the message says which request failed and why.
     */
    void load(URI frontend, Map<String, String> options) throws Exception;
}
