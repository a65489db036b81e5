package io.nightcorej.microservices.common.deploy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.nightcorej.microservices.common.http.FormParser;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One endpoint of a workload's HTTP front end served as a function, the way Nightcore ran HotelReservation's front
 * end (deathstarbench.md §0.1, §3.6): the Go front end's four handlers were registered as the functions {@code hotels},
 * {@code recommendations}, {@code user}, {@code reservation} with {@code qsAsInput}, so wrk calls
 * {@code <gateway>/function/hotels?inDate=..} and the front end's calls to the services are internal calls routed by
 * the engine, with no HTTP hop between front end and services.
 *
 * <pre>
 *   {"name": "hotels", "id": 8, "allowHttpGet": true, "qsAsInput": true,
 *    "handler": "io.nightcorej.microservices.common.deploy.FrontendFunction",
 *    "settings": {"workload": "hotelreservation", "endpoint": "/hotels", "storage.mongo": ..}}
 * </pre>
 *
 * <p><b>Input</b> (the request as the gateway forwards it):
 * <ul>
 *   <li>a flat JSON object {@code {"k":"v",..}} — what the gateway builds from the query string with {@code qsAsInput}
 *       (values are strings; numbers and booleans are taken as their text, {@code null} as absent);</li>
 *   <li>otherwise an {@code application/x-www-form-urlencoded} body, parsed like the front-end server parses one
 *       ({@link FormParser}); an empty input has no parameters.</li>
 * </ul>
 * The endpoint sees an {@link HttpRequest} with method {@code POST}, its own path, those parameters and the raw input
 * as body (the HTTP method does not reach a function; the ported front ends accept any method).
 *
 * <p><b>Output</b>: the body of a 2xx response. Any other status (400 for a missing parameter, 500 for a failed
 * service call) or an exception thrown by the endpoint fails the call with {@code HTTP <status> from <path>: <body>},
 * which the gateway answers with 500 and that text — NC's front-end functions also turned errors into failed calls.
 *
 * <p>Settings: {@code workload}, {@value #ENDPOINT} (the path, e.g. {@code /hotels}), {@code storage.*} and the like
 * as for {@link ServiceFunction}; {@code transport} defaults to {@code function}.
 */
public final class FrontendFunction implements Function {

    /** Setting: the front-end path this function serves, e.g. {@code /hotels}. */
    public static final String ENDPOINT = "endpoint";
    /** NC's rule for a plain function's name (func_config.cpp). */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9]+");
    private static final int MAX_ERROR_BODY_CHARS = 512;
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NOT_FLAT = "input is not a flat JSON object of strings: ";

    private volatile HttpEndpoint endpoint;
    private volatile String path;
    private volatile DefaultServiceEnvironment environment;

    /** Used by the runtimes; the endpoint is built in {@link #init}. */
    public FrontendFunction() {
        super();
    }

    @Override
    public void init(final Map<String, String> settingsMap) throws Exception {
        final Settings settings = new Settings(settingsMap).withDefault(Settings.TRANSPORT, "function");
        final Workload workload = WorkloadRegistry.find(settings.require(Settings.WORKLOAD,
                "the workload whose front end this function serves, e.g. hotelreservation"));
        final String endpointPath = settings.require(ENDPOINT, "the front-end path this function serves, e.g. /hotels");
        final DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(settings);
        try {
            final Map<String, HttpEndpoint> endpoints = workload.frontend(env);
            final HttpEndpoint e = endpoints.get(endpointPath);
            if (e == null) {
                throw new IllegalArgumentException(workload.name() + "'s front end has no path '" + endpointPath
                        + "'; paths: " + endpoints.keySet());
            }
            path = endpointPath;
            endpoint = e;
        } catch (final RuntimeException e) {
            env.close();
            throw e;
        }
        environment = env;
    }

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws Exception {
        final HttpEndpoint e = endpoint;
        if (e == null) {
            throw new IllegalStateException("FrontendFunction called before init");
        }
        final HttpResponse response = e.handle(new HttpRequest("POST", path, parameters(input), input));
        return output(path, response);
    }

    /** @return the environment built by {@link #init}, or null before it. */
    public DefaultServiceEnvironment environment() {
        return environment;
    }

    /**
     * @return the response body when the status is 2xx.
     * @throws FrontendCallException otherwise, naming the status, the path and (the start of) the body.
     */
    static byte[] output(final String path, final HttpResponse response) throws FrontendCallException {
        final int status = response.status();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String body = response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8).strip();
        if (body.length() > MAX_ERROR_BODY_CHARS) {
            body = body.substring(0, MAX_ERROR_BODY_CHARS) + "...";
        }
        throw new FrontendCallException(status, "HTTP " + status + " from " + path + ": " + body);
    }

    /** The parameters of a call's input: a flat JSON object, else a form body (see the class comment). */
    static Map<String, List<String>> parameters(final byte[] input) {
        int i = 0;
        while (i < input.length && isSpace(input[i])) {
            i++;
        }
        if (i == input.length) {
            return Map.of();
        }
        if (input[i] == '{') {
            return flatJsonObject(input);
        }
        return FormParser.parse(input);
    }

    private static boolean isSpace(final byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Which of a workload's front-end paths can be served as functions, and under which names: every path must be
     * {@code /<name>} with {@code name} a valid Nightcore function name ({@code [A-Za-z0-9]+}) that is not also one of
     * the workload's services. Then the function {@code <name>} serves {@code /<name>}, and a client that sends
     * {@code <base>/<name>?..} to the front end sends the same requests to {@code <gateway>/function} as base.
     * HotelReservation qualifies ({@code hotels, recommendations, user, reservation}, NC's names); SocialNetwork's
     * {@code /wrk2-api/...} paths do not (NC ran that front end as nginx/OpenResty).
     *
     * @param workload the workload; its {@link Workload#frontend} is built with the function transport and no storage
     *                 (stores are opened lazily, so nothing is connected) and dropped again.
     * @return function name to path, in the front end's order; empty when the front end cannot run as functions.
     */
    public static Map<String, String> functionsOf(final Workload workload) {
        final Map<String, HttpEndpoint> endpoints;
        try (DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(
                new Settings(Map.of(Settings.TRANSPORT, "function", Settings.WORKLOAD, workload.name())))) {
            endpoints = workload.frontend(env);
        }
        final Map<String, String> functions = new LinkedHashMap<>();
        for (final String p : endpoints.keySet()) {
            final String name = p.startsWith("/") ? p.substring(1) : "";
            if (!FUNCTION_NAME.matcher(name).matches() || workload.services().contains(name)) {
                return Map.of();
            }
            functions.put(name, p);
        }
        return Collections.unmodifiableMap(functions);
    }

    /**
     * {@link #functionsOf(Workload)} by workload name (for tools that load a workload's jar in their own class loader).
     *
     * @param workload the workload's name.
     * @return function name to path; empty when the front end cannot run as functions.
     */
    public static Map<String, String> functionsOf(final String workload) {
        return functionsOf(WorkloadRegistry.find(workload));
    }

    /** A front-end endpoint answered with a non-2xx status. */
    public static final class FrontendCallException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        FrontendCallException(final int status, final String message) {
            super(message);
            this.status = status;
        }

        /** @return the HTTP status the endpoint answered with. */
        public int status() {
            return status;
        }
    }

    /**
     * Reads one flat JSON object (values strings, numbers, booleans or null; nested objects and arrays are refused)
     * with Jackson's streaming parser rather than a tree, so that a repeated key keeps all its values as a repeated
     * query parameter does.
     */
    private static Map<String, List<String>> flatJsonObject(final byte[] input) {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(input)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notFlat("expected '{'");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw notFlat("unexpected end");
                }
                final String key = p.currentName();
                final JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw notFlat("the value of '" + key + "' is not a string (only a flat object of strings is accepted)");
                }
                if (value != JsonToken.VALUE_NULL) {
                    out.computeIfAbsent(key, k -> new ArrayList<>(1)).add(p.getText());
                }
            }
            if (p.nextToken() != null) {
                throw notFlat("unexpected text after the object");
            }
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(NOT_FLAT + e.getOriginalMessage(), e);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static IllegalArgumentException notFlat(final String what) {
        return new IllegalArgumentException(NOT_FLAT + what);
    }
}
