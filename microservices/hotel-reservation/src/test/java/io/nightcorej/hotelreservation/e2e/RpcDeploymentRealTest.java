package io.nightcorej.hotelreservation.e2e;

/**
 * The RPC deployment with Debian's {@code memcached}: skipped with the reason when it is not installed, a failure
 * when {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}.
 */
class RpcDeploymentRealTest extends RpcDeploymentContract {

    RpcDeploymentRealTest() {
        super("real");
    }
}
