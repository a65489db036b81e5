package io.nightcorej.engine;

import java.time.Instant;

/** Lifecycle messages on stderr. Never used on the per-call path. */
final class EngineLog {

    private EngineLog() {
    }

    static void info(final String message) {
        System.err.println(Instant.now() + " [nightcore-engine] " + message);
    }

    static void warn(final String message) {
        System.err.println(Instant.now() + " [nightcore-engine] WARN " + message);
    }
}
