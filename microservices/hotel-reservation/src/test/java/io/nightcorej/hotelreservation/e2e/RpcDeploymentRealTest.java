package io.nightcorej.hotelreservation.e2e;

import io.nightcorej.microservices.common.storage.LocalServerProcess;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The RPC deployment with Debian's {@code memcached}: skipped with the reason when it is not installed, a failure
 * when {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}.
 */
class RpcDeploymentRealTest extends RpcDeploymentContract {

    @Override
    AutoCloseable startMemcached(final int port) {
        if (LocalServerProcess.findExecutable("memcached").isEmpty()) {
            final String reason = "memcached is not installed (apt-get install memcached)";
            if ("1".equals(System.getenv("NIGHTCORE_REQUIRE_REAL_STORAGE"))) {
                Assertions.fail(reason + " but NIGHTCORE_REQUIRE_REAL_STORAGE=1");
            }
            Assumptions.abort(reason + "; set NIGHTCORE_REQUIRE_REAL_STORAGE=1 to make this a failure");
        }
        return LocalServerProcess.memcached(port);
    }
}
