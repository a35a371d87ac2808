package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.Symbol;
import dev.indexer.state.FileRecord;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.util.List;

/**
 * What flows between the stages, in file order. In the lexical phase a file comes as one of:
 * start, chunks, end; or touched (same content, new metadata); or skipped (read, but not text);
 * or, possibly after some of its chunks, failed or abandoned (which withdraws them). In the
 * embedding phase a file comes as its chunks still without vectors, then embedded.
 */
sealed interface Item {
    long weight();

    private static long weightOf(SourceFile file) {
        return 64 + 2L * file.relativePath().length();
    }

    /** A file is about to be (re)written: its old chunks go; their hashes allow reusing vectors. */
    record FileStart(SourceFile file, List<String> previousChunkHashes) implements Item {
        @Override
        public long weight() {
            return weightOf(file) + 24L * previousChunkHashes.size();
        }
    }

    /** One chunk; {@code vector} is {@code null} until it is known (reused, cached or embedded). */
    record ChunkItem(Chunk chunk, float[] vector) implements Item {
        @Override
        public long weight() {
            return chunk.weight() + (vector == null ? 0 : 16L + 4L * vector.length);
        }
    }

    /** All of a file's chunks have been sent; {@code record} is its manifest row, {@code symbols} its definitions. */
    record FileEnd(SourceFile file, FileRecord record, long tokens, List<Symbol> symbols) implements Item {
        @Override
        public long weight() {
            return weightOf(file) + 24L * record.chunkHashes().size() + symbols.stream().mapToLong(Symbol::weight).sum();
        }
    }

    /** The file's metadata changed but its content did not: only the manifest row changes. */
    record FileTouched(SourceFile file, FileRecord record) implements Item {
        @Override
        public long weight() {
            return weightOf(file) + 24L * record.chunkHashes().size();
        }
    }

    /** The file was read but is not indexed (binary, generated...); it is remembered as such. */
    record FileSkipped(SourceFile file, FileRecord record, boolean wasIndexed) implements Item {
        @Override
        public long weight() {
            return weightOf(file) + 64;
        }
    }

    /** Reading the file failed: the chunks sent for it and its manifest row must go. */
    record FileFailed(SourceFile file, SkipReason reason, String detail) implements Item {
        @Override
        public long weight() {
            return weightOf(file) + 2L * detail.length();
        }
    }

    /** The run was cancelled before the file was done: its chunks and its manifest row go, to be redone next run. */
    record FileAbandoned(SourceFile file) implements Item {
        @Override
        public long weight() {
            return weightOf(file);
        }
    }

    /**
     * Embedding phase: every chunk of the file that was waiting for a vector has been sent with one.
     *
     * @param wordsOnly the file's chunks without a vector that get none: data ({@link Chunk#isData()})
     */
    record FileEmbedded(String path, int wordsOnly) implements Item {
        @Override
        public long weight() {
            return 64 + 2L * path.length();
        }
    }

    /** A batch of {@code --batch-size} files is complete: a point to embed and commit at. */
    record BatchEnd() implements Item {
        @Override
        public long weight() {
            return 16;
        }
    }
}
