package io.nightcorej.sdk;

/**
 * A function call that did not produce an output. {@link #status()} says why, so a caller can tell a callee's own
 * failure from a missing function, a dead worker or a missed deadline.
 */
public class FunctionCallException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. The codes are the wire values in the runtime's protocol. */
    public enum Status {
        /** The callee threw, or returned an error. */
        FAILED(1),
        /** No function of that name is configured. */
        NOT_FOUND(2),
        /** The call's deadline passed before the callee answered. */
        TIMEOUT(3),
        /** The worker or container running the call died. */
        WORKER_DIED(4),
        /** Admission control refused the call (too many in flight and the queue is full). */
        OVERLOADED(5),
        /** The input or output exceeded the configured size limit. */
        PAYLOAD_TOO_LARGE(6),
        /** The runtime is shutting down or lost its connection. */
        UNAVAILABLE(7);

        private final int code;

        Status(final int code) {
            this.code = code;
        }

        /** @return the wire value. */
        public int code() {
            return code;
        }

        /**
         * @param code a wire value.
         * @return the status, or {@link #FAILED} for an unknown value.
         */
        public static Status fromCode(final int code) {
            for (final Status s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return FAILED;
        }
    }

    private final Status status;
    private final String function;

    /**
     * @param status   why the call failed.
     * @param function the callee.
     * @param message  a human-readable reason.
     */
    public FunctionCallException(final Status status, final String function, final String message) {
        super(function + ": " + status + (message == null || message.isEmpty() ? "" : ": " + message));
        this.status = status;
        this.function = function;
    }

    /** @return why the call failed. */
    public Status status() {
        return status;
    }

    /** @return the callee's name. */
    public String function() {
        return function;
    }
}
