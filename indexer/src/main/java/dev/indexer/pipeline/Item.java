package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;

/**
 * What flows from the chunker to the writer, in file order: a file's start, its chunks, then its
 * end, or a failure that cancels the chunks already sent for that file.
 */
sealed interface Item {
    long weight();

    /** A file is about to be (re)written: its old chunks go. */
    record FileStart(SourceFile file) implements Item {
        @Override
        public long weight() {
            return 64 + 2L * file.relativePath().length();
        }
    }

    /** One chunk; {@code vector} is {@code null} until the embed stage fills it in. */
    record ChunkItem(Chunk chunk, float[] vector) implements Item {
        @Override
        public long weight() {
            return chunk.weight() + (vector == null ? 0 : 16L + 4L * vector.length);
        }
    }

    /** All of a file's chunks have been sent. */
    record FileEnd(SourceFile file, int chunks, int tokens) implements Item {
        @Override
        public long weight() {
            return 64 + 2L * file.relativePath().length();
        }
    }

    /** Reading the file failed part-way: the chunks sent for it must not stay. */
    record FileFailed(SourceFile file, SkipReason reason, String detail) implements Item {
        @Override
        public long weight() {
            return 64 + 2L * (file.relativePath().length() + detail.length());
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
