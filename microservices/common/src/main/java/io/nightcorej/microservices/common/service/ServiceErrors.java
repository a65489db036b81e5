package io.nightcorej.microservices.common.service;

import io.nightcorej.microservices.common.storage.StorageException;
import java.util.function.Supplier;
import org.apache.thrift.TException;

/**
 * How a workload's handlers report failures: as the exception its Thrift IDL declares (DeathStarBench's
 * {@code ServiceException {1: ErrorCode errorCode; 2: string message}}), with upstream's error codes. A caller (and
 * the HTTP front end, which prints the message) learns which store or service failed and why, and nothing is left
 * hanging because every store and transport bounds its waits.
 *
 * <p>Every workload generates its own {@code ServiceException} and {@code ErrorCode} types, so the only
 * workload-specific part is {@link #exception}: a subclass names its generated exception type and maps each
 * {@link Code} to its IDL's code. Everything else, storage failures turned into {@code SE_*_ERROR} with the store's
 * message (which names the server and the operation) and the original {@link StorageException} as cause, lives here
 * once; {@link ServiceCaller} uses the same mapping for failed calls to other services.
 *
 * @param <E> the workload's generated {@code ServiceException}.
 */
public abstract class ServiceErrors<E extends TException> {

    /** The failures every workload reports, each one of upstream's {@code ErrorCode}s. */
    public enum Code {
        /** {@code SE_THRIFT_CONN_ERROR}: another service could not be reached, or its reply did not come. */
        THRIFT_CONN,
        /** {@code SE_THRIFT_HANDLER_ERROR}: a handler refused the request or another service's handler failed. */
        THRIFT_HANDLER,
        /** {@code SE_MONGODB_ERROR}: a document-store operation failed. */
        MONGODB,
        /** {@code SE_MEMCACHED_ERROR}: a cache operation failed. */
        MEMCACHED,
        /** {@code SE_REDIS_ERROR}: a sorted-set operation failed. */
        REDIS
    }

    private final Class<E> type;

    /** @param type the workload's generated exception class (a {@link ServiceCaller} passes it through as is). */
    protected ServiceErrors(final Class<E> type) {
        this.type = type;
    }

    /** @return the workload's exception with its IDL's code for {@code code} and the message. */
    protected abstract E exception(Code code, String message);

    /** @return the workload's exception type. */
    public final Class<E> type() {
        return type;
    }

    /** @return a {@code SE_THRIFT_HANDLER_ERROR} with the message. */
    public final E handler(final String message) {
        return exception(Code.THRIFT_HANDLER, message);
    }

    /** @return a {@code SE_THRIFT_CONN_ERROR} with the message. */
    public final E connection(final String message) {
        return exception(Code.THRIFT_CONN, message);
    }

    /** Runs a document-store operation; a failure becomes {@code SE_MONGODB_ERROR}. */
    public final <T> T mongo(final Supplier<T> operation) throws E {
        return run(Code.MONGODB, operation);
    }

    /** Runs a cache operation; a failure becomes {@code SE_MEMCACHED_ERROR}. */
    public final <T> T memcached(final Supplier<T> operation) throws E {
        return run(Code.MEMCACHED, operation);
    }

    /** Runs a sorted-set operation; a failure becomes {@code SE_REDIS_ERROR}. */
    public final <T> T redis(final Supplier<T> operation) throws E {
        return run(Code.REDIS, operation);
    }

    /** Void flavour of {@link #mongo}. */
    public final void mongoDo(final Runnable operation) throws E {
        run(Code.MONGODB, asSupplier(operation));
    }

    /** Void flavour of {@link #memcached}. */
    public final void memcachedDo(final Runnable operation) throws E {
        run(Code.MEMCACHED, asSupplier(operation));
    }

    /** Void flavour of {@link #redis}. */
    public final void redisDo(final Runnable operation) throws E {
        run(Code.REDIS, asSupplier(operation));
    }

    private static Supplier<Void> asSupplier(final Runnable operation) {
        return () -> {
            operation.run();
            return null;
        };
    }

    private <T> T run(final Code code, final Supplier<T> operation) throws E {
        try {
            return operation.get();
        } catch (final StorageException e) {
            final E se = exception(code, e.getMessage());
            se.initCause(e);
            throw se;
        }
    }
}
