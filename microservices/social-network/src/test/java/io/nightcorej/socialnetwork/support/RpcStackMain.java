package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.deploy.EmbeddedRpcDeployment;

/**
 * Manual harness (not a test): the in-process RPC deployment on embedded storage ({@code real} as first argument for
 * Debian's redis-server and memcached), running until killed or for the given seconds. Prints
 * {@code {"frontend_url":...}} when ready. Used for the latency and load-time notes in the README.
 */
public final class RpcStackMain {

    private RpcStackMain() {
    }

    /** @param args {@code [embedded|real] [seconds]}. */
    public static void main(final String[] args) throws Exception {
        final boolean real = args.length > 0 && "real".equals(args[0]);
        final long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        try (Storage storage = real ? Storage.real() : Storage.embedded();
             EmbeddedRpcDeployment stack = RpcDeployment.start(storage)) {
            System.out.println("{\"frontend_url\":\"" + stack.url() + "\"}");
            Thread.sleep(seconds * 1000);
        }
    }
}
