package io.nightcorej.mediamicroservices.e2e;

import io.nightcorej.microservices.common.storage.LocalServerProcess;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The RPC deployment with Debian's {@code memcached} and {@code redis-server}: skipped with the reason when one is not
 * installed, a failure when {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}.
 */
class RpcDeploymentRealTest extends RpcDeploymentContract {

    @Override
    AutoCloseable startMemcached(final int port) {
        require("memcached", "memcached");
        return LocalServerProcess.memcached(port);
    }

    @Override
    AutoCloseable startRedis(final int port) {
        require("redis-server", "redis-server");
        return LocalServerProcess.redis(port);
    }

    private static void require(final String executable, final String debianPackage) {
        if (LocalServerProcess.findExecutable(executable).isEmpty()) {
            final String reason = executable + " is not installed (apt-get install " + debianPackage + ")";
            if ("1".equals(System.getenv("NIGHTCORE_REQUIRE_REAL_STORAGE"))) {
                Assertions.fail(reason + " but NIGHTCORE_REQUIRE_REAL_STORAGE=1");
            }
            Assumptions.abort(reason + "; set NIGHTCORE_REQUIRE_REAL_STORAGE=1 to make this a failure");
        }
    }
}
