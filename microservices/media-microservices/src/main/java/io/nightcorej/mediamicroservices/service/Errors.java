package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.ErrorCode;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.StorageException;
import java.util.function.Supplier;

/**
 * Turns storage failures into the IDL's {@link ServiceException} with upstream's codes ({@code SE_MONGODB_ERROR},
 * {@code SE_MEMCACHED_ERROR}, {@code SE_REDIS_ERROR}) and the store's own message, which names the server and the
 * operation. Every store bounds its waits, so an outage costs one timeout per operation, never a hang.
 */
public final class Errors {

    private Errors() {
    }

    /** @return a {@code SE_THRIFT_HANDLER_ERROR} with the message. */
    public static ServiceException handler(final String message) {
        return of(ErrorCode.SE_THRIFT_HANDLER_ERROR, message);
    }

    /** @return a service exception with the code and message. */
    public static ServiceException of(final ErrorCode code, final String message) {
        return new ServiceException().setErrorCode(code).setMessage(message);
    }

    /** Runs a document-store operation; a failure becomes {@code SE_MONGODB_ERROR}. */
    public static <T> T mongo(final Supplier<T> operation) throws ServiceException {
        return run(ErrorCode.SE_MONGODB_ERROR, operation);
    }

    /** Runs a cache operation; a failure becomes {@code SE_MEMCACHED_ERROR}. */
    public static <T> T memcached(final Supplier<T> operation) throws ServiceException {
        return run(ErrorCode.SE_MEMCACHED_ERROR, operation);
    }

    /** Runs a sorted-set operation; a failure becomes {@code SE_REDIS_ERROR}. */
    public static <T> T redis(final Supplier<T> operation) throws ServiceException {
        return run(ErrorCode.SE_REDIS_ERROR, operation);
    }

    /** Void flavour of {@link #mongo}. */
    public static void mongoDo(final Runnable operation) throws ServiceException {
        run(ErrorCode.SE_MONGODB_ERROR, asSupplier(operation));
    }

    /** Void flavour of {@link #memcached}. */
    public static void memcachedDo(final Runnable operation) throws ServiceException {
        run(ErrorCode.SE_MEMCACHED_ERROR, asSupplier(operation));
    }

    /** Void flavour of {@link #redis}. */
    public static void redisDo(final Runnable operation) throws ServiceException {
        run(ErrorCode.SE_REDIS_ERROR, asSupplier(operation));
    }

    private static Supplier<Void> asSupplier(final Runnable operation) {
        return () -> {
            operation.run();
            return null;
        };
    }

    private static <T> T run(final ErrorCode code, final Supplier<T> operation) throws ServiceException {
        try {
            return operation.get();
        } catch (final StorageException e) {
            final ServiceException se = of(code, e.getMessage());
            se.initCause(e);
            throw se;
        }
    }
}
