package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.StandInEmbedder;
import dev.indexer.StoredChunks;
import dev.indexer.chunk.Chunk;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.Manifest;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two phases: every file searchable by words first, then by meaning; and vectors never made twice. */
class LexicalFirstTest {
    private static final int FILES = 40;

    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private final StandInEmbedder model = new StandInEmbedder(ModelSpec.BGE_SMALL, 0);

    private Engine engine(long millisPerCall) {
        IndexHome home = new IndexHome(homeDir);
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL);
        return new Engine(home, new EmbeddedTarget(home, 16), memory, 2, StandInEmbedder.factory(millisPerCall));
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void writeTree() throws IOException {
        for (int i = 0; i < FILES; i++) {
            write("src/Part" + i + ".java", "class Part" + i + " {\n    long scale" + i + "(long x) { return x * " + i
                    + "; }\n}\n");
        }
        write("src/Ledger.java", "class Ledger {\n    long settleInvoices(long seed) { return seed; }\n}\n");
    }

    private static final IndexOptions OPTIONS = IndexOptions.DEFAULTS.withBatchSize(4)
            .withCommitInterval(Duration.ZERO);

    private RunSummary index(Engine engine, String name, IndexOptions options, Cancellation cancellation) {
        try (CollectionWriter collection = engine.openWriter(name, CollectionSpec.DEFAULTS, Rebuild.NO)) {
            return collection.index(tree, options, ProgressListener.NONE, cancellation);
        }
    }

    private Manifest.Totals totals(String name) {
        try (Manifest m = Manifest.openForReading(new dev.indexer.config.IndexHome(homeDir).repoDir(name)
                .resolve(Manifest.FILE_NAME))) {
            return m.totals();
        }
    }

    /** Cancels when the lexical phase is over and nothing is embedded yet: a kill between the phases. */
    private RunSummary lexicalOnly(Engine engine, String name) {
        Cancellation cancellation = new Cancellation();
        Thread watcher = new Thread(() -> {
            Path file = new dev.indexer.config.IndexHome(homeDir).repoDir(name).resolve(Manifest.FILE_NAME);
            while (!cancellation.isCancelled()) {
                if (Files.exists(file)) {
                    try (Manifest m = Manifest.openForReading(file)) {
                        Manifest.Totals t = m.totals();
                        if (t.indexedFiles() == FILES + 1 && t.pendingFiles() == FILES + 1) {
                            cancellation.cancel();
                        }
                    } catch (RuntimeException e) {
                        // being created
                    }
                }
                Thread.onSpinWait();
            }
        });
        watcher.start();
        RunSummary summary = index(engine, name, OPTIONS, cancellation);
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return summary;
    }

    @Test
    void searchWorksThroughoutLexicalAtOnceHybridWithoutVectorsAndVectorOnceEmbedded() throws Exception {
        writeTree();
        // The model waits until the searches are done: the embedding phase lasts that long.
        CountDownLatch searched = new CountDownLatch(1);
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, StandInEmbedder.factory(() -> {
                    try {
                        searched.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        AtomicReference<RunSummary> result = new AtomicReference<>();
        try (CollectionWriter writing = engine.openWriter("live", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            Thread run = new Thread(() -> result.set(writing.index(tree, OPTIONS, ProgressListener.NONE,
                    new Cancellation())));
            run.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!(Files.exists(new dev.indexer.config.IndexHome(homeDir).repoDir("live").resolve("manifest.db"))
                    && totals("live").indexedFiles() == FILES + 1) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(totals("live").pendingChunks() > 0, "still embedding");
            // Searched by another process (the CLI) and by the writer itself (the server).
            try (CollectionReader reader = engine.openReader("live")) {
                for (CollectionReader searcher : List.of(reader, writing.reader())) {
                    CollectionReader.Results lexical = searcher.search(SearchQuery.of("settle invoices")
                            .withMode(SearchMode.LEXICAL));
                    assertEquals("src/Ledger.java", lexical.hits().get(0).path(), "every file is searchable by words");
                    CollectionReader.Results hybrid = searcher.search(SearchQuery.of("settle invoices"));
                    assertTrue(hybrid.hits().stream().anyMatch(h -> h.path().equals("src/Ledger.java")),
                            "hybrid answers from words while vectors are missing");
                    assertTrue(hybrid.notes().stream().anyMatch(n -> n.startsWith("meaning search covers ")),
                            hybrid.notes().toString());
                    for (SearchHit hit : searcher.search(SearchQuery.of("settle invoices").withMode(SearchMode.VECTOR))
                            .hits()) {
                        assertFalse(Float.isNaN(hit.score()));
                    }
                }
            } finally {
                searched.countDown();
            }
            run.join();
        }
        assertEquals(RunSummary.Outcome.COMPLETED, result.get().outcome());
        assertEquals(0, totals("live").pendingChunks());
        try (CollectionReader reader = engine.openReader("live")) {
            CollectionReader.Results vector = reader.search(new SearchQuery("long settleInvoices(long seed)", 1, SearchMode.VECTOR,
                    java.util.Optional.empty(), java.util.Optional.empty()));
            assertEquals(1, vector.hits().size());
            assertTrue(vector.notes().isEmpty(), vector.notes().toString());
        }
    }

    @Test
    void aHybridSearchBeforeTheVectorsEmbedsWhatItFoundByWordsAndTheRunAfterItReusesThem() throws Exception {
        writeTree();
        Engine engine = engine(0);
        lexicalOnly(engine, "early");
        assertEquals(FILES + 1, totals("early").pendingChunks());
        CollectionReader.Results hybrid;
        try (CollectionReader reader = engine.openReader("early")) {
            hybrid = reader.search(SearchQuery.of("settle invoices"));
            assertTrue(hybrid.hits().stream().anyMatch(h -> h.path().equals("src/Ledger.java")), hybrid.hits().toString());
            assertTrue(hybrid.embeddedNow() >= 1, "the lexical candidates without vectors were embedded");
            assertTrue(hybrid.hitsEmbeddedNow().size() >= 1 && hybrid.hitsEmbeddedNow().size() <= hybrid.embeddedNow());
            assertTrue(hybrid.embeddedNow() <= CollectionReader.QUERY_TIME_CHUNKS);
            assertTrue(hybrid.notes().stream().anyMatch(n -> n.contains("were ranked by vectors made for this search")),
                    hybrid.notes().toString());
            assertEquals(Map.of("chunks", hybrid.embeddedNow(), "hits", hybrid.hitsEmbeddedNow().size()),
                    hybrid.answerFields("/src").get("embeddedNow"), "what programs are told");
            for (SearchHit hit : hybrid.hits()) {
                assertEquals(hybrid.hitsEmbeddedNow().contains(hit.id()),
                        hybrid.fields(hit, "/src").containsKey("embeddedNow"), "each hit says whether it was");
            }
            CollectionReader.Results lexical = reader.search(SearchQuery.of("settle invoices").withMode(SearchMode.LEXICAL));
            assertEquals(0, lexical.embeddedNow(), "a lexical search embeds nothing");
            assertFalse(lexical.answerFields("/src").containsKey("embeddedNow"));
        }
        RunSummary rest = index(engine, "early", OPTIONS, new Cancellation());
        assertEquals(0, totals("early").pendingChunks());
        assertTrue(rest.chunks().fromCache() >= hybrid.embeddedNow(),
                "the vectors made for the search were kept and not made again: " + rest.chunks());
    }

    @Test
    void aKillBetweenThePhasesLosesNothingAndAFileChangedMeanwhileIsEmbeddedWithItsNewText() throws Exception {
        writeTree();
        Engine engine = engine(0);
        RunSummary first = lexicalOnly(engine, "between");
        assertEquals(RunSummary.Outcome.INTERRUPTED, first.outcome());
        assertEquals(FILES + 1, first.files().indexed());
        assertEquals(0, first.files().embedded());
        assertEquals(FILES + 1, totals("between").pendingChunks());

        write("src/Ledger.java", "class Ledger {\n    long reconcileAccounts(long seed) { return -seed; }\n}\n");
        RunSummary second = index(engine, "between", OPTIONS, new Cancellation());
        assertEquals(1, second.files().indexed(), "the changed file is read again");
        assertEquals(FILES + 1, second.files().embedded());
        assertEquals(0, totals("between").pendingChunks());
        // The file as the reader cuts it now: the store must hold this text, with this text's vector.
        List<Chunk> now = new java.util.ArrayList<>();
        Path ledgerFile = tree.resolve("src/Ledger.java");
        new dev.indexer.chunk.SourceReader(new dev.indexer.walk.ContentSniffer(4000),
                new dev.indexer.chunk.FileChunker(Workspace.defaultChunking(CollectionSpec.DEFAULTS), StandInEmbedder.WORDS))
                .read(new dev.indexer.walk.SourceFile(ledgerFile, "src/Ledger.java", Files.size(ledgerFile),
                        Files.getLastModifiedTime(ledgerFile).toMillis()), java.util.Optional.empty(), now::add);
        assertEquals(1, now.size());
        Chunk ledger = now.get(0);
        assertTrue(ledger.text().contains("reconcileAccounts"), ledger.text());
        try (StoreWriter store = StoredChunks.open(homeDir, "between")) {
            Map<String, float[]> stored = store.vectors(Map.of(ledger.id(), ledger.hash()));
            assertTrue(stored.containsKey(ledger.id()), "the store holds the new text");
            assertArrayEquals(ledger.vectorFrom(model::vector), stored.get(ledger.id()),
                    "and the new text's vector, not the old one's");
        }
    }

    @Test
    void aClassSignatureSharedByItsChunksIsEmbeddedOnceAndEachVectorAddsItAtItsWeight() throws Exception {
        // One class whose four methods are too long to share a chunk: four chunks under one header.
        StringBuilder source = new StringBuilder("class Wide {\n");
        for (int m = 0; m < 4; m++) {
            source.append("    long step").append(m).append("(long x) {\n");
            for (int line = 0; line < 6; line++) {
                source.append("        x = x * ").append(m * 31 + line).append(" + ").append(line)
                        .append("; // fold ").append(line).append(" of ").append(m).append('\n');
            }
            source.append("        return x;\n    }\n");
        }
        write("src/Wide.java", source.append("}\n").toString());
        List<StandInEmbedder> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        EmbedderFactory recording = new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                StandInEmbedder embedder = new StandInEmbedder(model, 0);
                opened.add(embedder);
                return embedder;
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec model) {
                return StandInEmbedder.words();
            }
        };
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, recording);
        RunSummary run = index(engine, "wide", OPTIONS.withVectorCache(0), new Cancellation());
        assertEquals(4, run.chunks().written(), run.chunks().toString());
        assertEquals(4, run.chunks().embedded(), run.chunks().toString());
        assertEquals(5, opened.stream().mapToLong(StandInEmbedder::embedded).sum(),
                "four texts with their path, and their one signature line, went to the model");
        List<Chunk> chunks = new java.util.ArrayList<>();
        Path file = tree.resolve("src/Wide.java");
        new dev.indexer.chunk.SourceReader(new dev.indexer.walk.ContentSniffer(4000), new dev.indexer.chunk.FileChunker(
                Workspace.defaultChunking(CollectionSpec.DEFAULTS), StandInEmbedder.WORDS))
                .read(new dev.indexer.walk.SourceFile(file, "src/Wide.java", Files.size(file),
                        Files.getLastModifiedTime(file).toMillis()), java.util.Optional.empty(), chunks::add);
        assertEquals(4, chunks.size());
        StandInEmbedder model = new StandInEmbedder(ModelSpec.BGE_SMALL, 0);
        try (StoreWriter store = StoredChunks.open(homeDir, "wide")) {
            for (Chunk chunk : chunks) {
                assertEquals(List.of("src/Wide.java\n" + chunk.text(), "class Wide"), chunk.embedParts());
                float[] stored = store.vectors(Map.of(chunk.id(), chunk.hash())).get(chunk.id());
                float[] text = model.vector("src/Wide.java\n" + chunk.text());
                float[] signature = model.vector("class Wide");
                double norm = 0;
                for (int i = 0; i < text.length; i++) {
                    norm += Math.pow(text[i] + 0.3 * signature[i], 2);
                }
                for (int i = 0; i < text.length; i++) {
                    assertEquals((text[i] + 0.3 * signature[i]) / Math.sqrt(norm), stored[i], 1e-6);
                }
            }
        }
    }

    @Test
    void aLicenseNoticeSharedByEveryFileIsEmbeddedOnce() throws Exception {
        String notice = "/*\n * Copyright (c) 2024 Example Corp. Licensed under the Apache License, Version 2.0.\n"
                + " * You may not use this file except in compliance with the License.\n */\n";
        int files = 6;
        for (int i = 0; i < files; i++) {
            write("src/Unit" + i + ".java", notice + "package units;\n\nclass Unit" + i + " {\n    long scale" + i
                    + "(long x) { return x * " + i + "; }\n}\n");
        }
        Engine engine = engine(0);
        // All files in one batch without the vector cache (repeats within a model call's window),
        // then one file per batch with it (repeats across windows).
        for (IndexOptions options : List.of(OPTIONS.withBatchSize(files).withVectorCache(0), OPTIONS.withBatchSize(1))) {
            String name = "notice" + options.batchSize();
            RunSummary run = index(engine, name, options, new Cancellation());
            assertEquals(run.chunks().written() - (files - 1), run.chunks().embedded(),
                    "every chunk but the five repeated notices is embedded: " + run.chunks());
            assertEquals(files - 1, run.chunks().fromCache(), run.chunks().toString());
            assertEquals(0, totals(name).pendingChunks());
        }
    }

    @Test
    void theVectorCacheMakesABranchSwitchBackAndAReindexEmbedNothing() throws Exception {
        writeTree();
        Engine engine = engine(0);
        RunSummary a = index(engine, "branches", OPTIONS, new Cancellation());
        assertEquals(FILES + 1, a.chunks().embedded());
        // Branch B: a few files change.
        for (int i = 0; i < 5; i++) {
            write("src/Part" + i + ".java", "class Part" + i + " {\n    long scale" + i + "(long x) { return x + " + i
                    + "; }\n}\n");
        }
        RunSummary b = index(engine, "branches", OPTIONS, new Cancellation());
        assertEquals(5, b.files().indexed());
        assertEquals(5, b.chunks().embedded());
        // Back to branch A.
        for (int i = 0; i < 5; i++) {
            write("src/Part" + i + ".java", "class Part" + i + " {\n    long scale" + i + "(long x) { return x * " + i
                    + "; }\n}\n");
        }
        RunSummary back = index(engine, "branches", OPTIONS, new Cancellation());
        assertEquals(5, back.files().indexed());
        assertEquals(0, back.chunks().embedded(), "the third run embeds nothing");
        assertEquals(5, back.chunks().fromCache());
        assertEquals(0, back.chunks().waiting());

        try (CollectionWriter rebuilt = engine.openWriter("branches", CollectionSpec.DEFAULTS, Rebuild.NOW)) {
            RunSummary reindex = rebuilt.index(tree, OPTIONS, ProgressListener.NONE, new Cancellation());
            assertEquals(FILES + 1, reindex.files().indexed());
            assertEquals(0, reindex.chunks().embedded(), "--reindex with the same model embeds nothing");
            assertEquals(FILES + 1, reindex.chunks().fromCache());
        }
        RunSummary copy = index(engine, "second-checkout", OPTIONS, new Cancellation());
        assertEquals(0, copy.chunks().embedded(), "another collection of the same text embeds nothing");
        RunSummary off = index(engine, "no-cache", OPTIONS.withVectorCache(0), new Cancellation());
        assertEquals(FILES + 1, off.chunks().embedded(), "--vector-cache 0 switches it off");
    }
}
