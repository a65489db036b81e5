package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.deploy.EmbeddedRpcDeployment;
import io.nightcorej.socialnetwork.SocialNetworkWorkload;
import java.util.Map;

/** Test fixture: SocialNetwork's RPC deployment in one JVM ({@link EmbeddedRpcDeployment}) over a {@link Storage}. */
public final class RpcDeployment {

    private RpcDeployment() {
    }

    /** @return the eleven services and the front end, running against the storage. */
    public static EmbeddedRpcDeployment start(final Storage storage) throws Exception {
        return new EmbeddedRpcDeployment.Context().workload(new SocialNetworkWorkload()).settings(storage.settings())
                .settings(Map.of("rpc.timeout.ms", "5000", "socialnetwork.call.timeout.ms", "6000")).start();
    }
}
