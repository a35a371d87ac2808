package dev.indexer.store;

import dev.indexer.chunk.Chunk;

/** A chunk with its vector, ready for a store; {@code vector} is null for a chunk stored before it is embedded. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
    /** An estimate of the memory this holds, for byte-bounded buffers. */
    public long weight() {
        return chunk.weight() + (vector == null ? 0 : 16L + 4L * vector.length);
    }

    public boolean hasVector() {
        return vector != null;
    }

    /**
     * The names both stores keep a chunk's fields under (Lucene's stored fields, Qdrant's payload
     * keys): what a store gives back must be the chunk that went in.
     */
    public static final class Fields {
        public static final String PATH = "path";
        public static final String START = "start";
        public static final String END = "end";
        public static final String LANGUAGE = "lang";
        public static final String TEXT = "text";
        public static final String HASH = "hash";
        public static final String SYMBOL = "symbol";
        public static final String KIND = "kind";
        public static final String CONTAINER = "container";
        public static final String HEADER = "header";
        public static final String ORDINAL = "ordinal";
        public static final String TOKENS = "tokens";
        /** Qdrant only: where the chunk's path falls among parts of the tree ({@link dev.indexer.config.Shard#slot}). */
        public static final String PATH_SLOT = "path_slot";
        /** Qdrant only: the repository the chunk's file is in (a tenant of the collection). */
        public static final String REPO = "repo";
        /** Qdrant only: the content hash of the chunk's file, set when the file is committed. */
        public static final String FILE_HASH = "file_hash";

        private Fields() {}
    }
}
