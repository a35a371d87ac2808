package dev.indexer.pipeline;

import dev.indexer.state.FileRecord;
import dev.indexer.walk.SourceFile;
import java.util.Optional;

/** A new or changed file on its way to be read, with what the manifest knew of it. */
record Candidate(SourceFile file, Optional<FileRecord> previous) {
    long weight() {
        return 96 + 2L * file.relativePath().length() + previous.map(p -> 24L * p.chunkHashes().size()).orElse(0L);
    }
}
