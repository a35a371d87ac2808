package dev.indexer.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one way commands print JSON: compact, one object per line, characters as they are (no HTML escapes). */
final class Json {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}

    static String of(Object value) {
        return GSON.toJson(value);
    }
}
