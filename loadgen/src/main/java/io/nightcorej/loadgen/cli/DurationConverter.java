package io.nightcorej.loadgen.cli;

import java.time.Duration;

import picocli.CommandLine;

/** Parses wrk-style durations: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or plain seconds ({@code 30}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(final String value) {
        return parse(value);
    }

    /**
     * @param value text.
     * @return the duration.
     * @throws CommandLine.TypeConversionException if malformed.
     */
    public static Duration parse(final String value) {
        final String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 2)) * 1000);
            } else if (v.endsWith("s")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
            } else if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            } else if (v.endsWith("h")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 3600);
            }
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 2m)");
        }
    }

    /**
     * @param d a duration.
     * @return wrk's syntax: whole seconds as {@code Ns}, else {@code Nms}... wrk only takes s/m/h, so round up to 1s.
     */
    public static String toWrk(final Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }
}
