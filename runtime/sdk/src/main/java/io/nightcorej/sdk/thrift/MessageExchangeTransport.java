package io.nightcorej.sdk.thrift;

import java.io.ByteArrayOutputStream;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TEndpointTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * A Thrift client transport for request/reply carriers that move one whole message at a time (a function call, an
 * HTTP POST): writes are buffered, {@link #flush()} hands the buffered request to {@link #exchange(byte[])}, and the
 * reply it returns is what the generated client then reads. One instance serves one thread at a time, like a socket.
 */
public abstract class MessageExchangeTransport extends TEndpointTransport {

    private static final byte[] EMPTY = new byte[0];

    private final ByteArrayOutputStream request = new ByteArrayOutputStream(256);
    private byte[] reply = EMPTY;
    private int replyPosition;
    private boolean open = true;

    /** @throws TTransportException never in practice (the default configuration is valid). */
    protected MessageExchangeTransport() throws TTransportException {
        super(new TConfiguration());
    }

    /**
     * Sends one request message and returns its reply message.
     *
     * @param message the complete request.
     * @return the complete reply.
     * @throws TTransportException when the carrier fails; the message should name the callee and the cause.
     */
    protected abstract byte[] exchange(byte[] message) throws TTransportException;

    /** @return who answers, for error messages. */
    protected abstract String peer();

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
            throw new TTransportException(TTransportException.END_OF_FILE, "no more reply bytes from " + peer());
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
        reply = EMPTY;
        replyPosition = 0;
        reply = exchange(message);
        resetConsumedMessageSize(-1);
    }
}
