package io.nightcorej.microservices.common.deploy;

import io.nightcorej.sdk.thrift.ThriftFunction;
import java.util.Map;

/**
 * THE function class for every service of every workload, in Nightcore and in the OpenFaaS-style watchdog:
 *
 * <pre>
 *   {"name": "UserService", "id": 6, "handler": "io.nightcorej.microservices.common.deploy.ServiceFunction",
 *    "settings": {"workload": "socialnetwork", "service": "UserService",
 *                 "storage.mongo": "mongodb://127.0.0.1:27017", "storage.redis": "127.0.0.1:6379",
 *                 "storage.memcached": "127.0.0.1:11211"}}
 * </pre>
 *
 * {@link #init} finds the workload ({@link WorkloadRegistry}), builds the environment with transport {@code function}
 * unless the settings say otherwise (the OpenFaaS-style watchdog sets {@code gateway}), and serves the service's
 * processor; each call is one binary Thrift message in, one out ({@link ThriftFunction}).
 */
public final class ServiceFunction extends ThriftFunction {

    private volatile DefaultServiceEnvironment environment;

    /** Used by the runtimes; the processor is built in {@link #init}. */
    public ServiceFunction() {
        super();
    }

    @Override
    public void init(final Map<String, String> settingsMap) throws Exception {
        final Settings settings = new Settings(settingsMap).withDefault(Settings.TRANSPORT, "function");
        final Workload workload = WorkloadRegistry.find(settings.require(Settings.WORKLOAD,
                "the workload whose service this function serves, e.g. socialnetwork"));
        final String service = settings.require(Settings.SERVICE, "the Thrift service this function serves, one of "
                + workload.services());
        WorkloadRegistry.checkService(workload, service);
        final DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(settings);
        try {
            setProcessor(workload.processor(service, env));
        } catch (final Exception e) {
            env.close();
            throw e;
        }
        environment = env;
    }

    /** @return the environment built by {@link #init}, or null before it. */
    public DefaultServiceEnvironment environment() {
        return environment;
    }
}
