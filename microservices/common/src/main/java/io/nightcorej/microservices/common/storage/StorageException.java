package io.nightcorej.microservices.common.storage;

/**
 * A storage operation that failed: the server is unreachable, timed out, or refused the operation. Handlers turn it
 * into the workload's Thrift {@code ServiceException}; it is never swallowed and never left to hang a call.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store and the operation.
     * @param cause   the client's exception, if any.
     */
    public StorageException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, naming the store and the operation. */
    public StorageException(final String message) {
        super(message);
    }
}
