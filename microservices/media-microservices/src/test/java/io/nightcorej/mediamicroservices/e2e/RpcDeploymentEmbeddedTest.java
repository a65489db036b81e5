package io.nightcorej.mediamicroservices.e2e;

import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;
import io.nightcorej.microservices.common.storage.embedded.RespServer;

/** The RPC deployment with the embedded memcached-protocol and RESP servers. */
class RpcDeploymentEmbeddedTest extends RpcDeploymentContract {

    @Override
    AutoCloseable startMemcached(final int port) throws Exception {
        return MemcachedServer.start("127.0.0.1", port);
    }

    @Override
    AutoCloseable startRedis(final int port) throws Exception {
        return RespServer.start("127.0.0.1", port);
    }
}
