package dev.indexer.engine;

import dev.indexer.StandInEmbedder;
import dev.indexer.chunk.Chunk;
import dev.indexer.config.Defaults;
import dev.indexer.config.Shard;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.qdrant.FakeQdrant;
import dev.indexer.store.qdrant.QdrantSettings;
import io.qdrant.client.grpc.Points.ScrollPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark: what a fresh index home (a CI runner) pays to learn a large collection from the store
 * before its run: {@link StoreCheck#reconcile} against the protocol stand-in on a real localhost
 * port, for a collection of POINTS chunks in FILES files (synthetic texts, random unit vectors, a
 * tenth of the chunks still without one). Prints the time, the scroll calls, and the heap after.
 *
 * <pre>
 * java -Xmx6g -cp test-classes:classes:$(cat cp.txt) dev.indexer.engine.RecoverFromStoreBench 880000 15200 [PARTS]
 * </pre>
 */
public final class RecoverFromStoreBench {
    private RecoverFromStoreBench() {}

    public static void main(String[] args) throws Exception {
        int points = Integer.parseInt(args[0]);
        int files = Integer.parseInt(args[1]);
        int parts = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        try (FakeQdrant server = FakeQdrant.start()) {
            int port = server.listenOnLocalhost();
            StoreTarget target = QdrantSettings.forUrl("http://127.0.0.1:" + port).target();
            CollectionInfo info = new CollectionInfo("big", "bge-small", 384, "/tree");
            long start = System.nanoTime();
            fill(target, info, points, files);
            System.out.printf(Locale.ROOT, "filled %,d points in %,d files in %.1f s%n", points, files,
                    (System.nanoTime() - start) / 1e9);
            for (int part = 0; part < parts; part++) {
                Shard shard = parts == 1 ? Shard.ALL : new Shard(part, parts);
                Path home = Files.createTempDirectory("recover");
                int scrollsBefore = server.requests("Scroll", ScrollPoints.class).size();
                System.gc();
                long t0 = System.nanoTime();
                StoreCheck.Outcome outcome;
                try (Manifest manifest = Manifest.open(home.resolve(Manifest.FILE_NAME));
                        StoreWriter store = target.openWriter(info, StoreTarget.Contents.KEEP)) {
                    outcome = StoreCheck.reconcile("big", manifest, store, shard, ProgressListener.NONE);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Runtime rt = Runtime.getRuntime();
                System.out.printf(Locale.ROOT, "shard %s: took %,d files, %,d chunks in %.1f s with %d scroll calls;"
                        + " manifest %,d KB; heap of this JVM (stand-in included) %,d MB%n", shard, outcome.adoptedFiles(),
                        outcome.adoptedChunks(), seconds,
                        server.requests("Scroll", ScrollPoints.class).size() - scrollsBefore,
                        Files.size(home.resolve(Manifest.FILE_NAME)) / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }

    private static void fill(StoreTarget target, CollectionInfo info, int points, int files) {
        Random random = new Random(7);
        StandInEmbedder vectors = new StandInEmbedder(Defaults.MODEL, 0);
        try (StoreWriter store = target.openWriter(info, StoreTarget.Contents.DELETE)) {
            int perFile = Math.max(1, points / files);
            List<EmbeddedChunk> batch = new ArrayList<>();
            int made = 0;
            for (int f = 0; f < files && made < points; f++) {
                String path = "module" + (f % 60) + "/pkg" + (f % 700) + "/File" + f + ".java";
                int n = f == files - 1 ? points - made : Math.min(perFile, points - made);
                for (int o = 0; o < n; o++) {
                    String text = "    int method" + o + "(int x) { return x * " + f + " + " + o + "; } // "
                            + Long.toHexString(random.nextLong()).repeat(3);
                    Chunk chunk = new Chunk(path, o, o * 5 + 1, o * 5 + 5, "java", text, 40);
                    batch.add(new EmbeddedChunk(chunk, random.nextInt(10) == 0 ? null : vectors.vector(text)));
                }
                made += n;
                if (batch.size() >= 2000) {
                    store.upsert(batch);
                    batch.clear();
                }
                store.fileWritten(path, Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
                if (f % 500 == 499) {
                    store.upsert(batch);
                    batch.clear();
                    store.commit();
                }
            }
            store.upsert(batch);
            store.commit();
        }
    }
}
