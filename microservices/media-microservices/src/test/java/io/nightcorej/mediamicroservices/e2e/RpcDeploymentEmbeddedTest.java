package io.nightcorej.mediamicroservices.e2e;

/** The RPC deployment with the embedded memcached-protocol and RESP servers. */
class RpcDeploymentEmbeddedTest extends RpcDeploymentContract {

    RpcDeploymentEmbeddedTest() {
        super("embedded");
    }
}
