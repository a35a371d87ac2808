package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.indexer.TestModels;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many chunks with one vector (a license notice that opens every file, embedded once and stored
 * for each) must not hide other code from a search by meaning. With the real model: before the
 * embedded store read small segments whole, the method below was not among the 300 nearest.
 */
class RepeatedVectorsTest {
    private static final String QUERY = "how much does the customer still owe on unpaid invoices";

    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void aMethodAmongTwoHundredFilesThatOpenWithOneNoticeIsFoundFirstByMeaning() throws IOException {
        StringBuilder notice = new StringBuilder("/*\n");
        for (int line = 0; line < 12; line++) {
            notice.append(" * Copyright (c) 2024, Example Corp. Licensed under the Apache License, Version 2.0 (the")
                    .append(" \"License\");\n * you may not use this file except in compliance with the License. Line ")
                    .append(line).append(" of the notice.\n");
        }
        notice.append(" */\n");
        String[] words = {"alpha", "beta", "gamma", "delta", "kappa", "sigma"};
        for (int i = 0; i < 200; i++) {
            String word = words[i % words.length];
            write("src/Part" + i + ".java", notice + "package org.acme;\n\nclass Part" + i + " {\n    int " + word + i
                    + "(int x) { return x * " + i + " + " + word.length() + "; }\n}\n");
        }
        write("src/Ledger.java", notice + "package org.acme;\n\nclass Ledger {\n"
                + "    /** Adds up the unpaid invoices of a customer and returns the amount still owed. */\n"
                + "    long outstandingBalance(java.util.List<Long> unpaid) {\n"
                + "        return unpaid.stream().mapToLong(Long::longValue).sum();\n    }\n}\n");
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2,
                OnnxEmbedder.factory(TestModels.home()));
        try (CollectionWriter writer = engine.openWriter("notices", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
            for (int k : new int[] {1, 10}) {
                List<SearchHit> hits = writer.reader().search(new SearchQuery(QUERY, k, SearchMode.VECTOR,
                        Optional.empty(), Optional.empty())).hits();
                assertFalse(hits.isEmpty(), "no hits for k = " + k);
                assertEquals(List.of("src/Ledger.java", "outstandingBalance"),
                        List.of(hits.get(0).path(), hits.get(0).symbol()), "k = " + k + ": " + hits);
            }
        }
    }
}
