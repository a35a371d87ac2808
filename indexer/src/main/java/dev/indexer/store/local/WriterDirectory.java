package dev.indexer.store.local;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * The index writer's directory: plain reads, except for the two files a merge reads at random.
 * Mapped pages count as the process's resident memory (RssFile) while they stay mapped, and a merge
 * reads every file of the segments it merges (checksums, copies): with every vector file mapped, a
 * run over the JDK's tree held 157 MB of them at once (411 MB RSS). Read at random, and so mapped:
 * the merged segment's quantized vectors, which Lucene writes to a temporary file and then reads
 * while it builds the merged graph (through plain reads that took 15 minutes of CPU per large
 * merge, a system call per vector), and the graphs ({@code vex}) it starts from. A segment's own
 * quantized vectors ({@code veq}) are only copied in order by a merge, so they are read plainly.
 */
final class WriterDirectory extends FilterDirectory {
    private final MMapDirectory mapped;

    WriterDirectory(Path dir) throws IOException {
        super(new NIOFSDirectory(dir));
        this.mapped = new MMapDirectory(dir);
    }

    /** Whether {@code name} is read at random by merges: a merge's temporary quantized vectors, or a graph. */
    static boolean readAtRandom(String name) {
        return name.endsWith(".vex") || (name.endsWith(".tmp") && name.contains(".veq_temp"));
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
        return readAtRandom(name) ? mapped.openInput(name, context) : in.openInput(name, context);
    }

    @Override
    public void close() throws IOException {
        try (MMapDirectory m = mapped) {
            super.close();
        }
    }
}
