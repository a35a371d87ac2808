package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Shard;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Option converters that turn a bad value into a one-line usage error. */
final class Converters {
    private Converters() {}

    static final class Size implements CommandLine.ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            return converted(value, ByteSize::parse);
        }
    }

    static final class Model implements CommandLine.ITypeConverter<ModelSpec> {
        @Override
        public ModelSpec convert(String value) {
            return converted(value, ModelSpec::byId);
        }
    }

    static final class Part implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            return converted(value, Shard::parse);
        }
    }

    /** Durations as users write them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or {@code 0}. */
    static final class Time implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SYNTAX = Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = SYNTAX.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; use e.g. 500ms, 10s,"
                        + " 2m or 0");
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }

    private static <T> T converted(String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Lists model ids in help as {@code bge-small, minilm}. */
    static final class ModelIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ModelSpec.values()).map(ModelSpec::id).iterator();
        }
    }
}
