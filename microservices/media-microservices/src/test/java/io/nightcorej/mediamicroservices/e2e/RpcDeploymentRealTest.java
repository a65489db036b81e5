package io.nightcorej.mediamicroservices.e2e;

/**
 * The RPC deployment with Debian's {@code memcached} and {@code redis-server}: skipped with the reason when one is not
 * installed, a failure when {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}.
 */
class RpcDeploymentRealTest extends RpcDeploymentContract {

    RpcDeploymentRealTest() {
        super("real");
    }
}
