package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.store.CollectionInfo;
import java.util.EnumMap;
import java.util.Map;

/**
 * The models a reader or a writer embeds with, each loaded on first use and kept until closed:
 * a rerun that finds nothing to embed never loads one, and a server that embeds documents and
 * queries loads its model once.
 */
final class Models implements AutoCloseable {
    private final Workspace workspace;
    private final Map<ModelSpec, Embedder> loaded = new EnumMap<>(ModelSpec.class);
    private boolean closed;

    Models(Workspace workspace) {
        this.workspace = workspace;
    }

    synchronized Embedder embedder(ModelSpec model) {
        if (closed) {
            throw new IllegalStateException("the models are closed");
        }
        return loaded.computeIfAbsent(model,
                m -> workspace.embedders().lazily(m, Defaults.MODEL_INPUT_TOKENS, workspace.threads()));
    }

    /** The model a collection's queries are embedded with: the one its vectors were made with. */
    static ModelSpec of(CollectionInfo info) {
        try {
            return ModelSpec.byId(info.model());
        } catch (IllegalArgumentException e) {
            throw new IndexerException("Collection '" + info.name() + "' was built with model " + info.model()
                    + ", which this version does not have; index it again with --model " + ModelSpec.ids() + ".");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        loaded.values().forEach(Embedder::close);
        loaded.clear();
    }
}
