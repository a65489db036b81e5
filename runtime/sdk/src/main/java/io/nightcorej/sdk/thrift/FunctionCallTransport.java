package io.nightcorej.sdk.thrift;

import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import org.apache.thrift.transport.TTransportException;

/**
 * A Thrift client transport whose {@link #flush()} is a Nightcore internal call, so a generated Thrift client calls a
 * service deployed as a {@link ThriftFunction} unchanged:
 *
 * <pre><code>
 * TTransport transport = new FunctionCallTransport("UserService");        // uses FunctionContext.current()
 * UserService.Client user = new UserService.Client(new TBinaryProtocol(transport));
 * user.Login(reqId, "alice", "secret", carrier);
 * </code></pre>
 *
 * <p>A failed call surfaces as a {@link TTransportException} whose cause is the {@link FunctionCallException}, which is
 * what a generated client throws for a broken socket too.
 */
public final class FunctionCallTransport extends MessageExchangeTransport {

    private final FunctionContext context;
    private final String function;

    /**
     * @param function the callee: the function serving the Thrift service.
     * @throws IllegalStateException when no function call runs on this thread.
     */
    public FunctionCallTransport(final String function) throws TTransportException {
        this(FunctionContext.current(), function);
    }

    /**
     * @param context  the context whose call makes the nested calls.
     * @param function the callee: the function serving the Thrift service.
     */
    public FunctionCallTransport(final FunctionContext context, final String function) throws TTransportException {
        this.context = context;
        this.function = function;
    }

    @Override
    protected byte[] exchange(final byte[] message) throws TTransportException {
        try {
            return context.invoke(function, message);
        } catch (final FunctionCallException e) {
            throw new TTransportException(TTransportException.UNKNOWN, e.getMessage(), e);
        }
    }

    @Override
    protected String peer() {
        return "function " + function;
    }
}
