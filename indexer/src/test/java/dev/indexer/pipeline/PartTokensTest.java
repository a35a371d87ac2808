package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.TestModels;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding stage plans its model calls by each input's tokens, derived from the chunk's
 * count where it can (a chunk's text with its path, less its signatures line): the derived counts
 * must be the tokenizer's own, or calls are planned by lengths the model never sees.
 */
class PartTokensTest {
    @TempDir
    Path tree;

    @Test
    void everyInputsPlannedTokensAreTheTokenizersCount() throws Exception {
        StringBuilder java = new StringBuilder(
                "/*\n * Copyright (c) 2024, Example. Licensed under the MIT license.\n */\npackage java.util;\n\n"
                        + "/** Names of months, by locale. */\npublic class MonthTable {\n");
        java.append("    static final String[] NAMES = {\n");
        for (int i = 0; i < 40; i++) {
            java.append("        \"\\u064a\\u0646\\u0627").append(Integer.toHexString(0x600 + i)).append("\",\n");
        }
        java.append("    };\n\n");
        for (int m = 0; m < 6; m++) {
            java.append("    /** Returns the name of month ").append(m).append(" after checking its index. */\n")
                    .append("    public String month").append(m).append("(int index) {\n")
                    .append("        if (index < 0 || index >= NAMES.length) {\n")
                    .append("            throw new IndexOutOfBoundsException(\"month \" + index);\n        }\n")
                    .append("        return NAMES[(index + ").append(m).append(") % NAMES.length];\n    }\n\n");
        }
        java.append("}\n");
        String python = "ROWS = [\n" + "    (\"alpha\", 1),\n".repeat(30) + "]\n\n\ndef total(rows=ROWS):\n"
                + "    \"\"\"Adds up the second column.\"\"\"\n    return sum(count for _, count in rows)\n";
        Map<String, String> files = Map.of("java.base/share/classes/java/util/MonthTable.java", java.toString(),
                "tools/scripts/rows.py", python, "Top.java", "class Top {\n    int x = 1;\n}\n");
        try (OnnxEmbedder embedder = TestModels.open(ModelSpec.BGE_SMALL)) {
            FileChunker chunker = new FileChunker(ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS)
                    .withLineTokens(Defaults.MODEL_INPUT_TOKENS - 2), embedder.tokenCounter());
            Map<String, List<Chunk>> byPart = new LinkedHashMap<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = tree.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                List<Chunk> chunks = new ArrayList<>();
                chunker.chunk(new SourceFile(path, file.getKey(), Files.size(path),
                        Files.getLastModifiedTime(path).toMillis()), chunks::add);
                for (Chunk chunk : chunks) {
                    for (String part : chunk.embedParts()) {
                        byPart.computeIfAbsent(part, p -> new ArrayList<>()).add(chunk);
                    }
                }
            }
            assertTrue(byPart.keySet().stream().anyMatch(part -> part.startsWith("class MonthTable")),
                    "a signatures line is among the inputs");
            List<String> texts = new ArrayList<>(byPart.keySet());
            int[] planned = EmbedStage.partTokens(embedder, texts, byPart);
            int[] counted = embedder.tokenCounter().countLines(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(Math.min(embedder.maxTokens(), counted[i] + embedder.specialTokens()), planned[i],
                        texts.get(i));
            }
        }
    }
}
