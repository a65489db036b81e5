package io.nightcorej.hotelreservation.e2e;

/** The RPC deployment with the embedded memcached-protocol server. */
class RpcDeploymentEmbeddedTest extends RpcDeploymentContract {

    RpcDeploymentEmbeddedTest() {
        super("embedded");
    }
}
