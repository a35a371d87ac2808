package dev.indexer.mcp;

import dev.indexer.text.Echo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A tool call's arguments, checked against the names a tool takes. */
final class ToolArguments {
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private final Map<String, Object> values;

    ToolArguments(Map<String, Object> values, List<String> known) {
        this.values = values;
        values.keySet().stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("unknown argument '" + Echo.of(name) + "'"
                    + (known.isEmpty() ? "; this tool takes none" : "; this tool takes " + known));
        });
    }

    Optional<String> string(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(name + " must be a string, was " + Echo.of(value));
        }
        return Optional.of(s);
    }

    /**
     * A whole number from {@code min} to {@code max}; JSON's 12, 12.0 and "12" are all 12. Out of
     * range is refused in those words, whatever the size of the number sent.
     */
    Optional<Integer> integer(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        BigDecimal number = wholeNumber(value).orElseThrow(() -> new IllegalArgumentException(
                name + " must be a whole number, was " + Echo.of(value)));
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be from %d to %d, was %s",
                    name, min, max, Echo.of(number.toPlainString().length() > 40 ? value : number.toPlainString())));
        }
        return Optional.of(number.intValueExact());
    }

    /**
     * A whole number of at least {@code min} where any larger number means "as far as there is"
     * (a last line past the file's end): above {@link Integer#MAX_VALUE} it is that.
     */
    Optional<Integer> integerFrom(String name, int min) {
        Object value = values.get(name);
        if (value != null && wholeNumber(value).filter(n -> n.compareTo(INT_MAX) > 0).isPresent()) {
            return Optional.of(Integer.MAX_VALUE);
        }
        return integer(name, min, Integer.MAX_VALUE);
    }

    private static Optional<BigDecimal> wholeNumber(Object value) {
        try {
            BigDecimal number;
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    return Optional.empty();
                }
                number = BigDecimal.valueOf(d);
            } else if (value instanceof Number n) {
                number = new BigDecimal(n.toString());
            } else if (value instanceof String s && s.strip().matches("[-+]?\\d{1,20}")) {
                number = new BigDecimal(s.strip());
            } else {
                return Optional.empty();
            }
            return number.stripTrailingZeros().scale() <= 0 ? Optional.of(number) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    List<String> strings(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(name + " must be a string or a list of strings, was " + Echo.of(value));
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException(name + " must hold strings, held " + Echo.of(item));
            }
            strings.add(s);
        }
        return strings;
    }
}
