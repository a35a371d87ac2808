package dev.indexer.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a collection is built with; vectors and chunk ids are only comparable within one spec.
 *
 * @param chunker how files are cut into chunks
 */
public record CollectionSpec(ModelSpec model, ChunkerKind chunker) {
    public static final CollectionSpec DEFAULTS = new CollectionSpec(Defaults.MODEL, Defaults.CHUNKER);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a collection must keep the same for its vectors and chunk ids to stay comparable. */
    public Map<String, String> settings() {
        return Map.of("model", model.id(), "dimension", Integer.toString(model.dimension()), "chunker",
                chunker.version());
    }

    /**
     * The collection a repository gets when none is named: its name with every character a
     * collection name cannot hold made a '-' ({@code github.com/owner/name} is
     * {@code github.com-owner-name}), at most 64 characters; empty if nothing is left.
     */
    public static String nameFor(String repository) {
        String name = repository.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[._-]+", "");
        name = name.length() > 64 ? name.substring(0, 64) : name;
        return NAME.matcher(name).matches() ? name : "";
    }

        /** @throws IllegalArgumentException if {@code name} cannot name a collection */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid collection name; use 1 to 64 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
