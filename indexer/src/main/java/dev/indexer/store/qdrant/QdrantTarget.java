package dev.indexer.store.qdrant;

import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.VectorStore;

/** A Qdrant server: every collection is a collection of the same name there. */
public record QdrantTarget(QdrantSettings settings) implements StoreTarget {
    @Override
    public String kind() {
        return "qdrant";
    }

    @Override
    public String describe(String collection) {
        return "Qdrant collection '" + collection + "' at " + settings.address();
    }

    @Override
    public String storeName() {
        return "Qdrant";
    }

    @Override
    public String location(String collection) {
        return settings.address().toString();
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public void check(String collection) {
        exists(collection);
    }

    @Override
    public boolean exists(String collection) {
        return QdrantStore.exists(QdrantStore.connect(settings), settings, collection);
    }

    @Override
    public VectorStore openForReading(String collection) {
        return QdrantStore.openForReading(QdrantStore.connect(settings), settings, collection);
    }

    @Override
    public VectorStore openForWriting(CollectionInfo info, boolean recreate) {
        return QdrantStore.openForWriting(QdrantStore.connect(settings), settings, info, recreate);
    }

    @Override
    public boolean drop(String collection) {
        return QdrantStore.drop(QdrantStore.connect(settings), settings, collection);
    }
}
