package io.nightcorej.hotelreservation.e2e;

import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;

/** The RPC deployment with the embedded memcached-protocol server. */
class RpcDeploymentEmbeddedTest extends RpcDeploymentContract {

    @Override
    AutoCloseable startMemcached(final int port) throws Exception {
        return MemcachedServer.start("127.0.0.1", port);
    }
}
