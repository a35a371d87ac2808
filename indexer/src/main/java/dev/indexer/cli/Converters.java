package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.ModelSpec;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** Option converters that turn a bad value into a one-line usage error. */
final class Converters {
    private Converters() {}

    static final class Size implements CommandLine.ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Model implements CommandLine.ITypeConverter<ModelSpec> {
        @Override
        public ModelSpec convert(String value) {
            try {
                return ModelSpec.byId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
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
