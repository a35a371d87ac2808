package dev.indexer.cli;

import dev.indexer.config.IndexHome;
import dev.indexer.store.VectorStore;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.store.qdrant.QdrantSettings;
import dev.indexer.store.qdrant.QdrantStore;

/**
 * Which store a command works on: the embedded Lucene index in the index home, or a Qdrant server.
 * Either way the manifest and the lock stay in the index home, on the machine that indexes.
 */
sealed interface StoreTarget {
    /** What the manifest records, so that a collection is never silently moved to another kind of store. */
    String kind();

    /** Where the chunks are, for messages. */
    String describe(String collection);

    /** Opens an existing collection for searching. */
    VectorStore openForReading(String collection);

    static StoreTarget of(QdrantOptions qdrant, IndexHome home, CliContext context, picocli.CommandLine commandLine) {
        return qdrant.settings(context.env(), commandLine).<StoreTarget>map(Qdrant::new).orElse(new Embedded(home));
    }

    record Embedded(IndexHome home) implements StoreTarget {
        @Override
        public String kind() {
            return "embedded";
        }

        @Override
        public String describe(String collection) {
            return "embedded store at " + home.luceneDir(collection);
        }

        @Override
        public VectorStore openForReading(String collection) {
            return LuceneStore.openForReading(home.luceneDir(collection), collection);
        }
    }

    record Qdrant(QdrantSettings settings) implements StoreTarget {
        @Override
        public String kind() {
            return "qdrant";
        }

        @Override
        public String describe(String collection) {
            return "Qdrant collection '" + collection + "' at " + settings.address();
        }

        @Override
        public QdrantStore openForReading(String collection) {
            return QdrantStore.openForReading(QdrantStore.connect(settings), settings, collection);
        }
    }
}
