package dev.indexer.cli;

import dev.indexer.config.IndexHome;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.store.qdrant.QdrantSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * How to reach Qdrant, shared by every command on a collection. With neither {@code --qdrant-url}
 * nor {@code QDRANT_URL}, the embedded store is used. The API key is read from {@code
 * QDRANT_API_KEY} only: a command-line value would show in {@code ps} to every user.
 */
final class QdrantOptions {
    static final String URL_ENV = "QDRANT_URL";
    static final String API_KEY_ENV = "QDRANT_API_KEY";

    @Option(names = "--qdrant-url", paramLabel = "URL",
            description = "Use the Qdrant server at URL (its gRPC port, e.g. http://localhost:6334; https:// for TLS)"
                    + " instead of the embedded store. Default: $QDRANT_URL. API key: $QDRANT_API_KEY.")
    String url;

    @Option(names = "--qdrant-timeout", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Deadline for each request to Qdrant. Default: 30s.")
    Duration timeout;

    /** Where the collection's chunks live, for a command that only reads: the server named, else the embedded store. */
    StoreTarget target(Map<String, String> env, IndexHome home, CommandLine commandLine) {
        return target(env, home, EmbeddedTarget.forReading(home).bufferMB(), commandLine, Optional.empty());
    }

    /** As {@link #target}, with the options that set up a new Qdrant collection (a usage error without a server). */
    StoreTarget target(Map<String, String> env, IndexHome home, int luceneBufferMB, CommandLine commandLine,
            Optional<QdrantCollectionOptions> collection) {
        Optional<QdrantSettings> settings = settings(env, commandLine);
        if (settings.isEmpty()) {
            if (collection.isPresent() && collection.get().anySet(commandLine)) {
                throw new CommandLine.ParameterException(commandLine, "the Qdrant collection options need a Qdrant"
                        + " server: give --qdrant-url or set " + URL_ENV);
            }
            return new EmbeddedTarget(home, luceneBufferMB);
        }
        QdrantSettings chosen = collection.map(c -> c.apply(settings.get(), commandLine)).orElse(settings.get());
        return chosen.target();
    }

    private Optional<QdrantSettings> settings(Map<String, String> env, CommandLine commandLine) {
        String chosen = url != null ? url : env.get(URL_ENV);
        if (chosen == null || chosen.isBlank()) {
            if (timeout != null) {
                throw new CommandLine.ParameterException(commandLine,
                        "--qdrant-timeout needs a Qdrant server: give --qdrant-url or set " + URL_ENV);
            }
            return Optional.empty();
        }
        try {
            QdrantSettings settings = QdrantSettings.forUrl(chosen)
                    .withApiKey(Optional.ofNullable(env.get(API_KEY_ENV)));
            return Optional.of(timeout == null ? settings : settings.withTimeout(timeout));
        } catch (IllegalArgumentException e) {
            String source = url != null ? "--qdrant-url" : URL_ENV;
            throw new CommandLine.ParameterException(commandLine, source + ": " + e.getMessage());
        }
    }
}
