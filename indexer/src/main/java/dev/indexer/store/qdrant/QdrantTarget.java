package dev.indexer.store.qdrant;

import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;

/** A Qdrant server: every collection is a collection of the same name there. */
record QdrantTarget(QdrantSettings settings) implements StoreTarget {
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
        return QdrantCollections.exists(QdrantCollections.connect(settings), settings, collection);
    }

    @Override
    public StoreReader openReader(String collection) {
        return QdrantReader.open(QdrantCollections.connect(settings), settings, collection);
    }

    @Override
    public StoreWriter openWriter(CollectionInfo info, Contents contents) {
        return QdrantWriter.open(QdrantCollections.connect(settings), settings, info, contents);
    }

    @Override
    public boolean drop(String collection) {
        return QdrantCollections.drop(QdrantCollections.connect(settings), settings, collection);
    }
}
