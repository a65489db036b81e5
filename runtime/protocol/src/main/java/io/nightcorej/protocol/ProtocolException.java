package io.nightcorej.protocol;

/**
 * Bytes that are not a valid message: wrong type, impossible size, truncated frame. The message says which field is
 * wrong and why, so a peer speaking a different version (or garbage) is diagnosed at once rather than misread.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes. */
    public ProtocolException(final String message) {
        super(message);
    }
}
