package io.nightcorej.socialnetwork.service;

import java.util.Map;

/**
 * The workload's own settings (besides the deployment's {@code transport}, {@code services.*} and {@code storage.*}).
 *
 * <ul>
 *   <li>{@code socialnetwork.call.timeout.ms} (default 10000): last-resort bound on waiting for a parallel call.</li>
 *   <li>{@code socialnetwork.jwt.secret} (default {@code secret}, upstream's {@code service-config.json}).</li>
 *   <li>{@code socialnetwork.machine.id}: 12-bit snowflake machine id; default hashes host name and pid.</li>
 * </ul>
 */
public final class Settings {

    /** Key of the parallel-call bound. */
    public static final String CALL_TIMEOUT_MS = "socialnetwork.call.timeout.ms";
    /** Key of the JWT secret. */
    public static final String JWT_SECRET = "socialnetwork.jwt.secret";
    /** Key of the snowflake machine id. */
    public static final String MACHINE_ID = "socialnetwork.machine.id";

    private Settings() {
    }

    /** @return the call timeout in ms. */
    public static long callTimeoutMs(final Map<String, String> settings) {
        return Long.parseLong(settings.getOrDefault(CALL_TIMEOUT_MS, "10000"));
    }

    /** @return the JWT secret. */
    public static String jwtSecret(final Map<String, String> settings) {
        return settings.getOrDefault(JWT_SECRET, "secret");
    }
}
