package dev.indexer.socket;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.PathGlob;
import java.util.Optional;

/**
 * What goes over a server's search socket: one JSON line each way. The request says which
 * collection and store it means (a socket file copied or left behind must not answer for another);
 * the answer carries the hits whole, so the command prints them exactly as a search of its own would.
 */
final class SearchWire {
    /** Changes when either side's shape does; a server of another version refuses, and the command searches itself. */
    static final int VERSION = 2; // 2: hits carry their copies

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();

    private SearchWire() {}

    /**
     * A search as the command asks it.
     *
     * @param store the store as the asker names it ({@link dev.indexer.store.StoreTarget#describe})
     * @param mode the mode's id
     * @param language absent when none
     * @param path the glob as given; absent when none
     */
    record Request(int version, String collection, String store, String query, int k, String mode, String language,
            String path) {
        static Request of(String collection, String store, SearchQuery query) {
            return new Request(VERSION, collection, store, query.text(), query.k(), query.mode().id(),
                    query.language().orElse(null), query.path().map(PathGlob::toString).orElse(null));
        }

        /** The query again, checked as any front end checks it; {@code IllegalArgumentException} if it breaks a rule. */
        SearchQuery query(SearchQuery.Names names) {
            return SearchQuery.parse(names, query, Optional.of(k), Optional.ofNullable(mode),
                    Optional.ofNullable(language), Optional.ofNullable(path));
        }
    }

    /**
     * The answer: {@code results} with the collection's {@code root}, or {@code refused} (the server
     * does not hold what was asked for: the asker searches itself), or {@code error} (the search
     * failed there as it would here: the asker says so).
     */
    record Answer(Long pid, String root, CollectionReader.Results results, String refused, String error) {
        static Answer of(String root, CollectionReader.Results results) {
            return new Answer(ProcessHandle.current().pid(), root, results, null, null);
        }

        static Answer refusing(String why) {
            return new Answer(ProcessHandle.current().pid(), null, null, why, null);
        }

        static Answer failing(String message) {
            return new Answer(ProcessHandle.current().pid(), null, null, null, message);
        }
    }

    static String write(Object value) {
        return GSON.toJson(value);
    }

    /** @throws JsonParseException if {@code line} is not the JSON of a {@code type} */
    static <T> T read(String line, Class<T> type) {
        T value = GSON.fromJson(line, type);
        if (value == null) {
            throw new JsonParseException("empty message");
        }
        return value;
    }
}
