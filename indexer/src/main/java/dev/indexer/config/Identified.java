package dev.indexer.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A choice users name on the command line by a short id ({@code bge-small}, {@code hybrid},
 * {@code scalar}): every such enum looks its values up the same way, with the same message.
 */
public interface Identified {
    /** The id users type, e.g. {@code bge-small}. */
    String id();

    /**
     * The value whose id is {@code id}, ignoring case.
     *
     * @param what what is being chosen, for the message: {@code model}, {@code search mode}
     * @throws IllegalArgumentException naming the unknown id and the ones there are
     */
    static <E extends Identified> E byId(E[] values, String id, String what) {
        for (E value : values) {
            if (value.id().equals(id.toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + id + "'; use " + ids(values));
    }

    /** The ids of {@code values} for messages and help: {@code hybrid, vector or lexical}. */
    static String ids(Identified[] values) {
        String[] ids = Arrays.stream(values).map(Identified::id).toArray(String[]::new);
        if (ids.length == 1) {
            return ids[0];
        }
        return Arrays.stream(ids, 0, ids.length - 1).collect(Collectors.joining(", ")) + " or " + ids[ids.length - 1];
    }
}
