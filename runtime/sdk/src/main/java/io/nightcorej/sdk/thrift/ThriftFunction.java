package io.nightcorej.sdk.thrift;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * Serves a generated Thrift {@link TProcessor} as one function: one function per Thrift service.
 *
 * <p>The input is one complete Thrift message in the binary protocol, so the method name travels in the message
 * envelope exactly as it does over a socket; the output is the reply message. A declared exception (for example
 * DeathStarBench's {@code ServiceException}) is a normal reply; an undeclared one becomes a
 * {@code TApplicationException} in the reply, written by the processor itself. Pair it with
 * {@link FunctionCallTransport} on the client side.
 *
 * <pre><code>
 * public final class UserServiceFunction extends ThriftFunction {
 *     public UserServiceFunction() {
 *         super(new UserService.Processor&lt;&gt;(new UserHandler(...)));
 *     }
 * }
 * </code></pre>
 */
public class ThriftFunction implements Function {

    private static final int INITIAL_OUTPUT_CAPACITY = 512;

    private volatile TProcessor processor;

    /** @param processor the generated processor wrapping the service's handler. */
    public ThriftFunction(final TProcessor processor) {
        this.processor = processor;
    }

    /** For subclasses that can only build their processor in {@link #init}; they must call {@link #setProcessor}. */
    protected ThriftFunction() {
        this.processor = null;
    }

    /** @param processor the processor to serve from now on. */
    protected final void setProcessor(final TProcessor processor) {
        this.processor = processor;
    }

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws TException {
        final TProcessor p = processor;
        if (p == null) {
            throw new IllegalStateException(getClass().getName() + " has no Thrift processor: set one in init()");
        }
        final TMemoryInputTransport in = new TMemoryInputTransport(input);
        final TMemoryBuffer out = new TMemoryBuffer(INITIAL_OUTPUT_CAPACITY);
        final TProtocol inProtocol = new TBinaryProtocol(in);
        final TProtocol outProtocol = new TBinaryProtocol(out);
        p.process(inProtocol, outProtocol);
        final byte[] reply = new byte[out.length()];
        System.arraycopy(out.getArray(), 0, reply, 0, out.length());
        return reply;
    }
}
