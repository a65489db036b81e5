package io.nightcorej.sdk.thrift;

import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import java.io.ByteArrayOutputStream;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TEndpointTransport;
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
 * <p>Writes are buffered; a flush sends the buffered request message as the callee's input and makes the reply
 * readable. A failed call surfaces as a {@link TTransportException} whose cause is the {@link FunctionCallException},
 * which is what a generated client throws for a broken socket too. One instance serves one thread at a time, like a
 * socket transport.
 */
public final class FunctionCallTransport extends TEndpointTransport {

    private final FunctionContext context;
    private final String function;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(256);
    private byte[] reply = new byte[0];
    private int replyPosition;
    private boolean open = true;

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
        super(new TConfiguration());
        this.context = context;
        this.function = function;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void open() {
        open = true;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public int read(final byte[] buf, final int off, final int len) throws TTransportException {
        final int available = reply.length - replyPosition;
        if (available <= 0) {
            throw new TTransportException(TTransportException.END_OF_FILE,
                    "no more reply bytes from function " + function);
        }
        final int n = Math.min(len, available);
        System.arraycopy(reply, replyPosition, buf, off, n);
        replyPosition += n;
        return n;
    }

    @Override
    public void write(final byte[] buf, final int off, final int len) {
        request.write(buf, off, len);
    }

    @Override
    public void flush() throws TTransportException {
        final byte[] message = request.toByteArray();
        request.reset();
        try {
            reply = context.invoke(function, message);
            replyPosition = 0;
            resetConsumedMessageSize(-1);
        } catch (final FunctionCallException e) {
            reply = new byte[0];
            replyPosition = 0;
            throw new TTransportException(TTransportException.UNKNOWN, e.getMessage(), e);
        }
    }
}
