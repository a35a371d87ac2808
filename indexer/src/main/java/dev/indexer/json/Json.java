package dev.indexer.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way the indexer writes JSON for programs (the commands' {@code --json}, the MCP tools'
 * structured results): compact, one object per line, characters as they are (no HTML escapes), keys
 * in the order they were put.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}

    public static String of(Object value) {
        return GSON.toJson(value);
    }

    /** An object with these keys and values ({@code key, value, key, value...}), in that order. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }
}
