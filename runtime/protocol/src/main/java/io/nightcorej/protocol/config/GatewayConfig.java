package io.nightcorej.protocol.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The {@code gateway} section of the stack config. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class GatewayConfig {

    @JsonProperty private String host = "127.0.0.1";
    @JsonProperty private int httpPort = 8080;
    @JsonProperty private int enginePort = 10007;
    @JsonProperty private int maxRunningRequests = 48;
    @JsonProperty private int maxQueuedRequests = 4096;
    @JsonProperty private int maxPayloadBytes = 16 * 1024 * 1024;
    @JsonProperty private long defaultTimeoutMs = 10_000;
    @JsonProperty private int ioThreads = 1;

    public String host() {
        return host;
    }

    public GatewayConfig host(final String host) {
        this.host = host;
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public GatewayConfig httpPort(final int httpPort) {
        this.httpPort = httpPort;
        return this;
    }

    public int enginePort() {
        return enginePort;
    }

    public GatewayConfig enginePort(final int enginePort) {
        this.enginePort = enginePort;
        return this;
    }

    public int maxRunningRequests() {
        return maxRunningRequests;
    }

    public GatewayConfig maxRunningRequests(final int maxRunningRequests) {
        this.maxRunningRequests = maxRunningRequests;
        return this;
    }

    public int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    public GatewayConfig maxQueuedRequests(final int maxQueuedRequests) {
        this.maxQueuedRequests = maxQueuedRequests;
        return this;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public GatewayConfig maxPayloadBytes(final int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public long defaultTimeoutMs() {
        return defaultTimeoutMs;
    }

    public GatewayConfig defaultTimeoutMs(final long defaultTimeoutMs) {
        this.defaultTimeoutMs = defaultTimeoutMs;
        return this;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public GatewayConfig ioThreads(final int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    void validate(final List<String> errors) {
        if (host == null || host.isBlank()) {
            errors.add("gateway.host: must not be empty");
        }
        StackConfig.port(errors, "gateway.httpPort", httpPort);
        StackConfig.port(errors, "gateway.enginePort", enginePort);
        StackConfig.positive(errors, "gateway.maxRunningRequests", maxRunningRequests);
        StackConfig.atLeast(errors, "gateway.maxQueuedRequests", maxQueuedRequests, 0);
        StackConfig.positive(errors, "gateway.maxPayloadBytes", maxPayloadBytes);
        StackConfig.positive(errors, "gateway.defaultTimeoutMs", defaultTimeoutMs);
        StackConfig.positive(errors, "gateway.ioThreads", ioThreads);
    }
}
