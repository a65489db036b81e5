package io.nightcorej.socialnetwork.service;

import io.nightcorej.microservices.common.service.ServiceErrors;
import io.nightcorej.socialnetwork.thrift.ErrorCode;
import io.nightcorej.socialnetwork.thrift.ServiceException;

/**
 * SocialNetwork's {@link ServiceErrors}: the IDL's {@link ServiceException} with its {@link ErrorCode}s. The mapping
 * of storage and call failures is common to every workload; this class only names the generated types.
 */
public final class Errors extends ServiceErrors<ServiceException> {

    /** The one instance; handlers use it through {@code import static ...Errors.ERRORS}. */
    public static final Errors ERRORS = new Errors();

    private Errors() {
        super(ServiceException.class);
    }

    /** @return a service exception with the code and message. */
    public ServiceException of(final ErrorCode code, final String message) {
        return new ServiceException().setErrorCode(code).setMessage(message);
    }

    @Override
    protected ServiceException exception(final Code code, final String message) {
        return of(switch (code) {
            case THRIFT_CONN -> ErrorCode.SE_THRIFT_CONN_ERROR;
            case THRIFT_HANDLER -> ErrorCode.SE_THRIFT_HANDLER_ERROR;
            case MONGODB -> ErrorCode.SE_MONGODB_ERROR;
            case MEMCACHED -> ErrorCode.SE_MEMCACHED_ERROR;
            case REDIS -> ErrorCode.SE_REDIS_ERROR;
        }, message);
    }
}
