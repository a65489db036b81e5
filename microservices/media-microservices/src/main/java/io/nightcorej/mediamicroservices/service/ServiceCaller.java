package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.ErrorCode;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.ServiceClients;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;

/**
 * Calls another service on this thread, through whatever {@link ServiceClients} the deployment chose, and turns every
 * failure into the IDL's {@link ServiceException}. Inside the services every call is sequential, as in NC (a Nightcore
 * worker serves one call at a time, so NC turned upstream's {@code std::async} fan-outs into calls in a row). A
 * connection that failed is invalidated so it is not pooled.
 */
public final class ServiceCaller {

    /** A call on a generated client. */
    @FunctionalInterface
    public interface Call<C, R> {
        /** @return the call's result. */
        R apply(C client) throws TException;
    }

    /** A call without a result. */
    @FunctionalInterface
    public interface VoidCall<C> {
        /** Makes the call. */
        void apply(C client) throws TException;
    }

    private final ServiceClients clients;

    /** @param clients the deployment's clients. */
    public ServiceCaller(final ServiceClients clients) {
        this.clients = clients;
    }

    /**
     * @return the call's result.
     * @throws ServiceException the callee's own, or {@code SE_THRIFT_CONN_ERROR} when it cannot be reached,
     *                          {@code SE_THRIFT_HANDLER_ERROR} when it answered with a Thrift application error.
     */
    public <C extends TServiceClient, R> R call(final String service, final TServiceClientFactory<C> factory,
            final Call<C, R> call) throws ServiceException {
        final ClientLease<C> lease;
        try {
            lease = clients.lease(service, factory);
        } catch (final TException | RuntimeException e) {
            throw Errors.of(ErrorCode.SE_THRIFT_CONN_ERROR, "Failed to connect to " + service + ": " + e.getMessage());
        }
        boolean broken = false;
        try {
            return call.apply(lease.client());
        } catch (final ServiceException e) {
            throw e;
        } catch (final TApplicationException e) {
            throw Errors.handler(service + " failed: " + e.getMessage());
        } catch (final TException | RuntimeException e) {
            broken = true;
            throw Errors.of(ErrorCode.SE_THRIFT_CONN_ERROR, service + " unreachable: " + describe(e));
        } finally {
            if (broken) {
                lease.invalidate();
            }
            lease.close();
        }
    }

    /** {@link #call} for a method without a result. */
    public <C extends TServiceClient> void run(final String service, final TServiceClientFactory<C> factory,
            final VoidCall<C> call) throws ServiceException {
        call(service, factory, c -> {
            call.apply(c);
            return null;
        });
    }

    private static String describe(final Throwable e) {
        final String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        final Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || message.contains(cause.getMessage())
                ? message : message + " (" + cause.getMessage() + ")";
    }
}
