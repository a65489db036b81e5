package io.nightcorej.protocol.config;

/** A stack config that cannot be used; the message lists every problem with its JSON path. */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message every problem, one per line. */
    public ConfigException(final String message) {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause   the parser's error.
     */
    public ConfigException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
