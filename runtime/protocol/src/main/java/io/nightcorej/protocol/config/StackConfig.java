package io.nightcorej.protocol.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON file that configures a single-host stack: the gateway, the engine and every function's container.
 *
 * <pre>{@code
 * StackConfig config = StackConfig.load(Path.of("runtime/examples/foo-bar.json")); // parsed, resolved, validated
 * config.function("Foo").maxWorkers();
 * }</pre>
 *
 * <p>Every key has a default except {@code functions[].name}, {@code id} and {@code handler}. Unknown keys are an
 * error naming the key. Relative classpath entries resolve against the config file's directory. {@link #conclude()}
 * reports every problem at once, each with its JSON path.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class StackConfig {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @JsonProperty private GatewayConfig gateway = new GatewayConfig();
    @JsonProperty private EngineConfig engine = new EngineConfig();
    @JsonProperty private List<FunctionConfig> functions = new ArrayList<>();

    /**
     * Reads, resolves relative classpath entries against the file's directory, and validates.
     *
     * @param file the config file.
     * @return the concluded config.
     * @throws ConfigException when the file is unreadable, not JSON, has unknown keys or invalid values.
     */
    public static StackConfig load(final Path file) {
        final String json;
        try {
            json = Files.readString(file);
        } catch (final IOException e) {
            throw new ConfigException("cannot read stack config " + file + ": " + e, e);
        }
        final Path baseDir = file.toAbsolutePath().getParent();
        return parse(json, baseDir);
    }

    /**
     * Parses and validates.
     *
     * @param json    the config text.
     * @param baseDir directory relative classpath entries resolve against.
     * @return the concluded config.
     * @throws ConfigException as for {@link #load(Path)}.
     */
    public static StackConfig parse(final String json, final Path baseDir) {
        final StackConfig config;
        try {
            config = MAPPER.readValue(json, StackConfig.class);
        } catch (final UnrecognizedPropertyException e) {
            throw new ConfigException("stack config: unknown key \"" + pathOf(e) + "\"; known keys here: "
                + e.getKnownPropertyIds(), e);
        } catch (final JsonMappingException e) {
            throw new ConfigException("stack config: invalid value at \"" + pathOf(e) + "\": " + e.getOriginalMessage(), e);
        } catch (final JsonProcessingException e) {
            throw new ConfigException("stack config: not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr()), e);
        }
        if (config == null) {
            throw new ConfigException("stack config: empty document");
        }
        if (config.functions != null) {
            for (final FunctionConfig f : config.functions) {
                if (f != null && f.classpath() != null) {
                    f.resolveClasspath(baseDir);
                }
            }
        }
        return config.conclude();
    }

    private static String pathOf(final JsonMappingException e) {
        final StringBuilder sb = new StringBuilder();
        for (final JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Validates everything.
     *
     * @return this.
     * @throws ConfigException listing every problem, one per line.
     */
    public StackConfig conclude() {
        final List<String> errors = new ArrayList<>();
        if (gateway == null) {
            errors.add("gateway: must be an object");
        } else {
            gateway.validate(errors);
        }
        if (engine == null) {
            errors.add("engine: must be an object");
        } else {
            engine.validate(errors);
        }
        if (functions == null) {
            errors.add("functions: must be an array");
        } else {
            final Map<String, Integer> names = new HashMap<>();
            final Map<Integer, Integer> ids = new HashMap<>();
            for (int i = 0; i < functions.size(); i++) {
                final FunctionConfig f = functions.get(i);
                final String path = "functions[" + i + "]";
                if (f == null) {
                    errors.add(path + ": must be an object");
                    continue;
                }
                f.validate(path, errors);
                if (f.name() != null) {
                    final Integer previous = names.putIfAbsent(f.name(), i);
                    if (previous != null) {
                        errors.add(path + ".name: \"" + f.name() + "\" is also functions[" + previous + "].name");
                    }
                }
                if (f.id() != 0) {
                    final Integer previous = ids.putIfAbsent(f.id(), i);
                    if (previous != null) {
                        errors.add(path + ".id: " + f.id() + " is also functions[" + previous + "].id");
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException("invalid stack config:\n  " + String.join("\n  ", errors));
        }
        return this;
    }

    public GatewayConfig gateway() {
        return gateway;
    }

    public StackConfig gateway(final GatewayConfig gateway) {
        this.gateway = gateway;
        return this;
    }

    public EngineConfig engine() {
        return engine;
    }

    public StackConfig engine(final EngineConfig engine) {
        this.engine = engine;
        return this;
    }

    public List<FunctionConfig> functions() {
        return functions;
    }

    public StackConfig functions(final List<FunctionConfig> functions) {
        this.functions = new ArrayList<>(functions);
        return this;
    }

    /** Adds a function. @return this. */
    public StackConfig addFunction(final FunctionConfig function) {
        functions.add(function);
        return this;
    }

    /**
     * @param name a function name.
     * @return its config, or null.
     */
    public FunctionConfig function(final String name) {
        for (final FunctionConfig f : functions) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** @return this config as JSON (classpath entries as resolved). */
    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the shared mapper configured for config documents (strict about unknown keys). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    static void port(final List<String> errors, final String path, final int port) {
        if (port < 0 || port > 65535) {
            errors.add(path + ": " + port + " is outside 0..65535 (0 = any free port)");
        }
    }

    static void positive(final List<String> errors, final String path, final long value) {
        if (value <= 0) {
            errors.add(path + ": " + value + " must be greater than 0");
        }
    }

    static void atLeast(final List<String> errors, final String path, final long value, final long min) {
        if (value < min) {
            errors.add(path + ": " + value + " must be at least " + min);
        }
    }
}
