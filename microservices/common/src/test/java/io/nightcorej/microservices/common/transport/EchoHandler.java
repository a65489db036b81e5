package io.nightcorej.microservices.common.transport;

import io.nightcorej.microservices.common.testidl.EchoException;
import io.nightcorej.microservices.common.testidl.EchoService;

/** The test service: echoes, throws its declared exception for "fail", sleeps on request. */
public final class EchoHandler implements EchoService.Iface {

    @Override
    public String Echo(final String text) throws EchoException {
        if ("fail".equals(text)) {
            throw new EchoException("asked to fail");
        }
        return "echo:" + text;
    }

    @Override
    public long Sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }
}
