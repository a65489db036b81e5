package io.nightcorej.hotelreservation.service;

import io.nightcorej.hotelreservation.thrift.ErrorCode;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.ServiceClients;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;

/**
 * Calls another service, on this thread, through whatever {@link ServiceClients} the deployment chose, and turns
 * every failure into the IDL's {@link ServiceException}. Every HotelReservation call is sequential (upstream's
 * handlers make one call after the other), so unlike SocialNetwork's caller there is no fork/join here; a connection
 * that failed is invalidated so it is not pooled.
 */
public final class ServiceCaller {

    /** A call on a generated client. */
    @FunctionalInterface
    public interface Call<C, R> {
        /** @return the call's result. */
        R apply(C client) throws TException;
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

    private static String describe(final Throwable e) {
        final String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        final Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || message.contains(cause.getMessage())
                ? message : message + " (" + cause.getMessage() + ")";
    }
}
