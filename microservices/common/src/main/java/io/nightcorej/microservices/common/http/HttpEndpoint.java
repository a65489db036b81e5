package io.nightcorej.microservices.common.http;

/**
 * One path of a workload's HTTP front end. Runs off the I/O threads, so it may block on service calls.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /**
     * @param request the parsed request.
     * @return the response to send.
     * @throws Exception an unexpected failure, answered with 500 and the message.
     */
    HttpResponse handle(HttpRequest request) throws Exception;
}
