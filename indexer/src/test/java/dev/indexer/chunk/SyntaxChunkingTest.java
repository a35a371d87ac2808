package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Code-aware chunks: boundaries, symbols and headers for every parsed language, and the fallbacks. */
class SyntaxChunkingTest {
    private static OnnxEmbedder embedder;
    private static TokenCounter counter;
    private static final ChunkingOptions OPTIONS = ChunkingOptions.forModel(256, 2);

    @TempDir
    Path dir;

    @BeforeAll
    static void loadTokenizer() {
        embedder = TestModels.open(ModelSpec.BGE_SMALL);
        counter = embedder.tokenCounter();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private List<Chunk> chunk(String name, String content) throws IOException, InterruptedException {
        return chunk(new FileChunker(OPTIONS, counter), name, content);
    }

    private List<Chunk> chunk(FileChunker chunker, String name, String content) throws IOException, InterruptedException {
        Path path = dir.resolve(name);
        Files.writeString(path, content);
        List<Chunk> chunks = new ArrayList<>();
        chunker.chunk(
                new SourceFile(path, name, Files.size(path), Files.getLastModifiedTime(path).toMillis()), chunks::add);
        return chunks;
    }

    /** Statements enough to make a function of 80-150 tokens: bigger than "small", well inside the budget. */
    private static String body(String indent, String comment, String assign, String end, int statements) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < statements; i++) {
            b.append(indent).append(comment).append(" step ").append(i).append(" folds the running total\n");
            b.append(indent).append(assign.replace("#", Integer.toString(i))).append(end).append('\n');
        }
        return b.toString();
    }

    /** One source per language: a function of interest inside a type, another at top level. */
    static Stream<Arguments> languages() {
        return Stream.of(
                Arguments.of("Ledger.java", "class Ledger {\n    int total;\n\n"
                        + "    int settleAccounts(int seed) {\n" + body("        ", "//", "total = total * 31 + seed + #", ";", 6)
                        + "        return total;\n    }\n\n"
                        + "    int auditTrail(int seed) {\n" + body("        ", "//", "total = total * 7 + seed + #", ";", 6)
                        + "        return total;\n    }\n\n"
                        + "    int reconcileBalances(int seed) {\n" + body("        ", "//", "total = total * 17 - seed - #", ";", 6)
                        + "        return total;\n    }\n}\n",
                        "settleAccounts", "method", "Ledger", "class Ledger"),
                Arguments.of("ledger.py", "class Ledger:\n    total = 0\n\n"
                        + "    def settle_accounts(self, seed):\n" + body("        ", "#", "self.total = self.total * 31 + seed + #", "", 6)
                        + "        return self.total\n\n"
                        + "    def audit_trail(self, seed):\n" + body("        ", "#", "self.total = self.total * 7 + seed + #", "", 6)
                        + "        return self.total\n\n"
                        + "def reconcile_balances(seed):\n" + body("    ", "#", "seed = seed * 17 - #", "", 6)
                        + "    return seed\n",
                        "settle_accounts", "method", "Ledger", "class Ledger"),
                Arguments.of("ledger.js", "class Ledger {\n"
                        + "  settleAccounts(seed) {\n" + body("    ", "//", "this.total = this.total * 31 + seed + #", ";", 6)
                        + "    return this.total;\n  }\n\n"
                        + "  auditTrail(seed) {\n" + body("    ", "//", "this.total = this.total * 7 + seed + #", ";", 6)
                        + "    return this.total;\n  }\n}\n\n"
                        + "function reconcileBalances(seed) {\n" + body("  ", "//", "seed = seed * 17 - #", ";", 6)
                        + "  return seed;\n}\n",
                        "settleAccounts", "method", "Ledger", "class Ledger"),
                Arguments.of("ledger.ts", "export class Ledger {\n  private total: number = 0;\n\n"
                        + "  settleAccounts(seed: number): number {\n" + body("    ", "//", "this.total = this.total * 31 + seed + #", ";", 6)
                        + "    return this.total;\n  }\n\n"
                        + "  auditTrail(seed: number): number {\n" + body("    ", "//", "this.total = this.total * 7 + seed + #", ";", 6)
                        + "    return this.total;\n  }\n}\n\n"
                        + "export function reconcileBalances(seed: number): number {\n" + body("  ", "//", "seed = seed * 17 - #", ";", 6)
                        + "  return seed;\n}\n",
                        "settleAccounts", "method", "Ledger", "class Ledger"),
                Arguments.of("ledger.go", "package ledger\n\ntype Ledger struct {\n\ttotal int\n}\n\n"
                        + "func (l *Ledger) SettleAccounts(seed int) int {\n" + body("\t", "//", "l.total = l.total*31 + seed + #", "", 6)
                        + "\treturn l.total\n}\n\n"
                        + "func ReconcileBalances(seed int) int {\n" + body("\t", "//", "seed = seed*17 - #", "", 6)
                        + "\treturn seed\n}\n",
                        "SettleAccounts", "method", "", ""),
                Arguments.of("ledger.rs", "pub struct Ledger {\n    total: i64,\n}\n\nimpl Ledger {\n"
                        + "    pub fn settle_accounts(&mut self, seed: i64) -> i64 {\n" + body("        ", "//", "self.total = self.total * 31 + seed + #", ";", 6)
                        + "        self.total\n    }\n\n"
                        + "    pub fn audit_trail(&mut self, seed: i64) -> i64 {\n" + body("        ", "//", "self.total = self.total * 7 + seed + #", ";", 6)
                        + "        self.total\n    }\n}\n\n"
                        + "pub fn reconcile_balances(mut seed: i64) -> i64 {\n" + body("    ", "//", "seed = seed * 17 - #", ";", 6)
                        + "    seed\n}\n",
                        "settle_accounts", "method", "Ledger", "impl Ledger"),
                Arguments.of("ledger.c", "struct ledger {\n    long total;\n};\n\n"
                        + "long settle_accounts(struct ledger *l, long seed) {\n" + body("    ", "//", "l->total = l->total * 31 + seed + #", ";", 6)
                        + "    return l->total;\n}\n\n"
                        + "long reconcile_balances(long seed) {\n" + body("    ", "//", "seed = seed * 17 - #", ";", 6)
                        + "    return seed;\n}\n",
                        "settle_accounts", "function", "", ""),
                Arguments.of("ledger.cpp", "class Ledger {\n public:\n"
                        + "  long settleAccounts(long seed) {\n" + body("    ", "//", "total = total * 31 + seed + #", ";", 6)
                        + "    return total;\n  }\n\n"
                        + "  long auditTrail(long seed) {\n" + body("    ", "//", "total = total * 7 + seed + #", ";", 6)
                        + "    return total;\n  }\n\n private:\n  long total = 0;\n};\n\n"
                        + "long reconcileBalances(long seed) {\n" + body("  ", "//", "seed = seed * 17 - #", ";", 6)
                        + "  return seed;\n}\n",
                        "settleAccounts", "method", "Ledger", "class Ledger"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void functionsAreWholeChunksWithTheirSymbolAndContext(String name, String source, String symbol, String kind,
            String container, String containerSignature) throws Exception {
        List<Chunk> chunks = chunk(name, source);
        List<String> lines = source.lines().toList();
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(symbol + "(")) {
                first = i + 1;
                break;
            }
        }
        assertTrue(first > 0);
        int start = first;
        Chunk holding = chunks.stream().filter(c -> c.startLine() <= start && c.endLine() >= start).findFirst().orElseThrow();
        // The whole function is in this one chunk: up to its last statement and closing line.
        String returnLine = lines.stream().skip(first).filter(l -> l.contains("return") || l.strip().equals("self.total")
                || l.strip().equals("seed")).findFirst().orElseThrow();
        assertTrue(holding.text().contains(lines.get(first - 1)) && holding.text().contains(returnLine),
                name + ": function split across chunks: " + describe(chunks));
        assertEquals(symbol, holding.context().symbol(), describe(chunks));
        assertEquals(kind, holding.context().kind(), describe(chunks));
        assertEquals(container, holding.context().container(), describe(chunks));
        assertTrue(holding.context().header().startsWith(name), holding.context().header());
        if (!containerSignature.isEmpty()) {
            assertTrue(holding.context().header().contains(containerSignature), holding.context().header());
        }
        assertTrue(holding.embedText().startsWith(holding.context().header() + "\n"));
        for (Chunk c : chunks) {
            assertTrue(c.tokens() <= OPTIONS.maxTokens(), "chunk over budget: " + c.tokens());
            assertEquals(counter.countLines(List.of(String.join(" ", c.embedParts()).replace("\n", " ")))[0],
                    c.tokens(), 4.0, "recorded tokens match the text as the model reads it");
        }
        // Chunks cover the file in order, without gaps or overlaps.
        for (int i = 1; i < chunks.size(); i++) {
            assertTrue(chunks.get(i).startLine() > chunks.get(i - 1).endLine(), describe(chunks));
            assertEquals(i, chunks.get(i).ordinal());
        }
        // The other function is a chunk of its own too, named as what it is.
        String otherKind = name.endsWith(".java") ? "method" : "function";
        assertTrue(chunks.stream().anyMatch(c -> c.context().kind().equals(otherKind)
                && c.context().symbol().toLowerCase().replace("_", "").equals("reconcilebalances")), describe(chunks));
    }

    private static String describe(List<Chunk> chunks) {
        StringBuilder b = new StringBuilder();
        for (Chunk c : chunks) {
            b.append("\n#").append(c.ordinal()).append(' ').append(c.startLine()).append('-').append(c.endLine())
                    .append(" ").append(c.context().kind()).append(' ').append(c.context().symbol())
                    .append(" in ").append(c.context().container()).append(" tokens ").append(c.tokens());
        }
        return b.toString();
    }

    private static final String NOTICE = """
            /*
             * Licensed to the Apache Software Foundation (ASF) under one or more contributor license
             * agreements. See the NOTICE file distributed with this work for additional information
             * regarding copyright ownership. The ASF licenses this file to you under the Apache
             * License, Version 2.0 (the "License"); you may not use this file except in compliance
             * with the License. You may obtain a copy of the License at
             *
             *      http://www.apache.org/licenses/LICENSE-2.0
             *
             * Unless required by applicable law or agreed to in writing, software distributed under
             * the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
             * KIND, either express or implied. See the License for the specific language governing
             * permissions and limitations under the License.
             */
            """;

    @Test
    void theModelReadsJavadocWithoutItsMarkupAndTheWordsIndexKeepsIt() throws Exception {
        StringBuilder source = new StringBuilder("package ledger;\n\npublic final class Ledger {\n");
        for (int i = 0; i < 6; i++) {
            source.append("    /**\n")
                    .append("     * Settles the {@code Account} number ").append(i).append(" against the")
                    .append(" {@link java.util.Currency#getInstance(String) currency} of the <em>day</em>.\n")
                    .append("     * <p>\n")
                    .append("     * A settled account is closed; see {@link #reopen(int)}.\n")
                    .append("     *\n")
                    .append("     * @param amount the amount, &gt;= 0\n")
                    .append("     */\n")
                    .append("    public long settle").append(i).append("(long amount) {\n")
                    .append("        return amount * ").append(i + 2).append(";\n")
                    .append("    }\n\n");
        }
        source.append("}\n");
        List<Chunk> chunks = chunk("Ledger.java", source.toString());
        String read = chunks.stream().map(c -> String.join("\n", c.embedParts())).reduce("", String::concat);
        String written = chunks.stream().map(Chunk::embedText).reduce("", String::concat);
        assertTrue(read.contains("Settles the Account number 3 against the java.util.Currency.getInstance(String)"
                + " currency of the day."), read);
        assertTrue(read.contains("A settled account is closed; see reopen(int)."), read);
        assertTrue(read.contains("@param amount the amount, >= 0"), read);
        assertTrue(read.contains("return amount * 5;"), "code as written: " + read);
        assertFalse(read.contains("{@") || read.contains("<p>") || read.contains("<em>") || read.contains("&gt;")
                || read.lines().anyMatch(l -> l.strip().startsWith("*")), read);
        assertTrue(written.contains("     * Settles the {@code Account} number 3") && written.contains("<em>day</em>")
                && written.contains("     * <p>"), "the words index and the hash keep the text as written");
        for (Chunk c : chunks) {
            int asRead = counter.countLines(List.of(String.join(" ", c.embedParts()).replace("\n", " ")))[0];
            assertEquals(asRead, c.tokens(), 4.0, "counted as the model reads it");
            if (c.text().contains("{@code")) {
                assertTrue(counter.countLines(List.of(c.embedText().replace("\n", " ")))[0] > c.tokens() + 20,
                        "the markup's tokens are not paid for: " + c.tokens());
            }
        }
    }

    @Test
    void aDocumentedMethodIsCutByWhatTheModelReadsSoItsMarkupDoesNotSplitItFromItsCode() throws Exception {
        StringBuilder doc = new StringBuilder("    /**\n");
        for (int i = 0; i < 7; i++) {
            doc.append("     * <p>Step ").append(i).append(" moves the {@code Account} to {@link Ledger#settle(long)}")
                    .append(" &amp; <b>closes</b> it.</p>\n");
        }
        doc.append("     */\n");
        String method = doc + "    public long settle(long amount) {\n        long due = amount * 3;\n"
                + "        return due - amount / 7;\n    }\n";
        List<String> lines = method.lines().toList();
        int written = IntStream.of(counter.countLines(lines)).sum();
        int read = IntStream.of(counter.countLines(lines.stream().map(CommentMarkup::line).toList())).sum();
        int budget = OPTIONS.maxTokens() - Math.min(FileChunker.HEADER_TOKENS, OPTIONS.maxTokens() / 4);
        assertTrue(written > OPTIONS.maxTokens() && read < budget - 20,
                "the method is over the budget as written, well under it as read: " + written + ", " + read);

        List<Chunk> chunks = chunk("Ledger.java", "package ledger;\n\npublic final class Ledger {\n" + method + "}\n");
        int open = 4; // the line of "/**"
        int close = open + lines.size() - 1;
        List<Chunk> whole = chunks.stream().filter(c -> c.startLine() <= open && c.endLine() >= close).toList();
        assertEquals(1, whole.size(), "one chunk holds the documentation and the code: " + chunks.stream()
                .map(c -> c.startLine() + "-" + c.endLine()).toList());
        assertTrue(whole.get(0).tokens() <= OPTIONS.maxTokens(), "within the model's budget: " + whole.get(0).tokens());
        String parts = String.join("\n", whole.get(0).embedParts());
        assertTrue(parts.contains("Step 6 moves the Account to Ledger.settle(long) & closes it.")
                && parts.contains("return due - amount / 7;"), "the code is read with its documentation: " + parts);
    }

    @Test
    void commentMarkupOrBlankLinesAloneCannotMakeOneChunkOfAWholeFile() throws Exception {
        // Lines that are only markup (" *", " * <p>") or blank cost the model nothing: cut by the
        // tokens it reads, 25,000 of them were one chunk, and one hit of 195 KB.
        String stars = "package ledger;\n\npublic final class Stars {\n    /**\n     * Settles the ledger.\n"
                + "     *\n".repeat(3_000) + "     * <p>\n".repeat(1_000) + "     */\n"
                + "    public int settle(int amount) {\n" + "\n".repeat(3_000)
                + "        return amount * 3;\n    }\n}\n";
        List<Chunk> chunks = chunk("Stars.java", stars);
        for (Chunk c : chunks) {
            assertTrue(c.endLine() - c.startLine() + 1 <= OPTIONS.maxLines(), c.startLine() + "-" + c.endLine());
            assertFalse(c.text().isBlank(), "no chunk of blank lines alone: " + c.startLine() + "-" + c.endLine());
        }
        int returns = 4 + 1 + 3_000 + 1_000 + 1 + 1 + 3_000 + 1;
        assertTrue(chunks.stream().anyMatch(c -> c.text().contains("return amount * 3;") && c.startLine() <= returns
                && c.endLine() >= returns), "the code in a chunk, at its line");
        assertTrue(chunks.stream().anyMatch(c -> c.text().contains("Settles the ledger.")));
        assertTrue(chunks.size() < 80, "blank runs dropped, the rest in runs of the budget's lines: " + chunks.size());
    }

    @Test
    void aLicenseNoticeIsTheSameEmbeddedTextInEveryFileAndTheCodeKeepsItsHeader() throws Exception {
        List<Chunk> ledger = chunk("Ledger.java", NOTICE + "package money;\n\nclass Ledger {\n"
                + "    int settle(int seed) {\n" + body("        ", "//", "seed = seed * 31 + #", ";", 8) + "        return seed;\n    }\n}\n");
        List<Chunk> audit = chunk("Audit.java", NOTICE + "package money.deep;\n\nclass Audit {\n"
                + "    int trail(int seed) {\n" + body("        ", "//", "seed = seed * 7 + #", ";", 8) + "        return seed;\n    }\n}\n");
        int noticeLines = NOTICE.split("\n").length;
        List<Chunk> ledgerNotice = ledger.stream().filter(c -> c.endLine() <= noticeLines).toList();
        List<Chunk> auditNotice = audit.stream().filter(c -> c.endLine() <= noticeLines).toList();
        assertTrue(!ledgerNotice.isEmpty(), "the notice is a chunk of its own, not packed with the package line: "
                + ledger);
        assertEquals(ledgerNotice.stream().map(Chunk::embedText).toList(),
                auditNotice.stream().map(Chunk::embedText).toList(), "the same text for the model in both files");
        for (Chunk chunk : ledgerNotice) {
            assertEquals("", chunk.context().header());
        }
        Chunk settle = ledger.stream().filter(c -> c.text().contains("int settle(")).findFirst().orElseThrow();
        assertTrue(settle.embedText().startsWith("Ledger.java\n"), "code keeps its path: " + settle.embedText());
        assertEquals("Ledger.java", ledgerNotice.get(0).path(), "the hit still names its file");

        assertEquals(0, FileChunker.noticeEnd(List.of("#include <stdio.h>", "// Copyright 2020 Example", "int x;")),
                "a file that opens with code has no notice");
        assertEquals(3, FileChunker.noticeEnd(List.of("#!/usr/bin/env python3", "# Copyright (c) 2021 Example.", "",
                "import os")));
        assertEquals(0, FileChunker.noticeEnd(List.of("// Package ledger keeps accounts.", "package ledger")),
                "a comment that names no copyright or license is documentation");
    }

    @Test
    void aPieceHeaderGivesTheDeclarationOnOneLineWithoutModifiersOrAnnotations() throws Exception {
        String java = "public final class Big implements Comparable<Big> {\n    @SuppressWarnings(\"unchecked\")\n"
                + "    public static synchronized long crunch(long seed,\n            int rounds) throws java.io.IOException {\n"
                + body("        ", "//", "seed = seed * 31 + rounds + #", ";", 40) + "        return seed;\n    }\n}\n";
        String python = "class Big:\n    @staticmethod\n    def crunch(seed: int,\n               rounds: int) -> int:\n"
                + body("        ", "#", "seed = seed * 31 + rounds + #", "", 40) + "        return seed\n";
        for (var file : Map.of("Big.java", java, "big.py", python).entrySet()) {
            List<Chunk> chunks = chunk(file.getKey(), file.getValue());
            List<Chunk> pieces = chunks.stream().filter(c -> c.context().symbol().equals("crunch")).toList();
            assertTrue(pieces.size() >= 3, describe(chunks));
            String signature = file.getKey().endsWith(".java")
                    ? "long crunch(long seed, int rounds) throws java.io.IOException"
                    : "def crunch(seed: int, rounds: int) -> int";
            for (Chunk piece : pieces.subList(1, pieces.size())) {
                String header = piece.context().header();
                assertTrue(header.startsWith(file.getKey() + "\nclass Big") && header.endsWith(" > " + signature), header);
                assertFalse(header.contains("@") || header.contains("public") || header.contains("static"), header);
            }
        }
    }

    @Test
    void aDeclarationTooLongForTheHeaderIsShortenedNotDropped() throws Exception {
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            // Names the tokenizer cuts into many pieces: the declaration alone is over the header's budget.
            params.append(i == 0 ? "" : ",\n            ").append("long q7z").append(i).append("x3w1k");
        }
        String source = "class Big {\n    long crunch(" + params + ") {\n"
                + body("        ", "//", "q7z0x3w1k = q7z0x3w1k * 31 + #", ";", 40) + "        return q7z0x3w1k;\n    }\n}\n";
        List<Chunk> chunks = chunk("Big.java", source);
        List<Chunk> pieces = chunks.stream().filter(c -> c.context().symbol().equals("crunch")).toList();
        assertTrue(pieces.size() >= 3, describe(chunks));
        for (Chunk piece : pieces.subList(1, pieces.size())) {
            String header = piece.context().header();
            assertTrue(header.startsWith("Big.java\nlong crunch(long q7z0x3w1k") && header.endsWith("..."), header);
        }
    }

    @Test
    void anOversizedFunctionIsCutBetweenLinesAndEachPieceKeepsItsSignature() throws Exception {
        String source = "class Big {\n    long crunch(long seed) {\n" + body("        ", "//", "seed = seed * 31 + #", ";", 40)
                + "        return seed;\n    }\n}\n";
        List<Chunk> chunks = chunk("Big.java", source);
        List<Chunk> pieces = chunks.stream().filter(c -> c.context().symbol().equals("crunch")).toList();
        assertTrue(pieces.size() >= 3, describe(chunks));
        for (Chunk piece : pieces.subList(1, pieces.size())) {
            assertTrue(piece.context().header().endsWith("class Big > long crunch(long seed)"), piece.context().header());
            assertEquals("Big", piece.context().container());
        }
    }

    @Test
    void aFunctionJustOverTheBudgetIsCutInHalvesAndTheClassLinePacksWithTheFirst() throws Exception {
        // About 1.3 budgets: cut greedily, it would be one full chunk and a stub of its last lines,
        // and "class Tally {" would be a chunk of its own.
        String source = "class Tally {\n    long crunch(long seed) {\n" + body("        ", "//", "seed = seed * 31 + #", ";", 10)
                + "        return seed;\n    }\n}\n";
        List<Chunk> chunks = chunk(new FileChunker(ChunkingOptions.withTextTokens(128), counter), "Tally.java", source);
        assertEquals(2, chunks.size(), describe(chunks));
        assertEquals(1, chunks.get(0).startLine(), "the class's opening line goes with the first half");
        assertEquals(chunks.get(0).endLine() + 1, chunks.get(1).startLine(), describe(chunks));
        assertEquals(source.split("\n").length, chunks.get(1).endLine());
        int first = chunks.get(0).endLine();
        int second = chunks.get(1).endLine() - chunks.get(1).startLine() + 1;
        assertTrue(Math.abs(first - second) <= 4, "halves of about equal size: " + describe(chunks));
        for (Chunk c : chunks) {
            assertEquals("crunch", c.context().symbol(), describe(chunks));
        }
    }

    @Test
    void aDefinitionCutIntoPiecesStartsItsOwnChunkAndThePackageLineIsNotAlone() throws Exception {
        String source = "package org.example;\n\npublic final class Checker {\n    private Checker() {}\n\n"
                + "    /**\n     * Returns whether the text passes the weighted digit check of a book number.\n     */\n"
                + "    public static boolean passes(String text) {\n"
                + body("        ", "//", "int d# = text.charAt(#) - '0'", ";", 6)
                + "        return text.length() % 10 == 0;\n    }\n}\n";
        List<Chunk> chunks = chunk(new FileChunker(ChunkingOptions.withTextTokens(128), counter), "Checker.java", source);
        assertTrue(chunks.size() >= 3, describe(chunks));
        assertEquals(1, chunks.get(0).startLine(), describe(chunks));
        assertTrue(chunks.get(0).endLine() >= 4, "package line, class line and constructor together" + describe(chunks));
        assertEquals(5, chunks.get(1).startLine(), "the method's documentation starts a chunk" + describe(chunks));
        for (Chunk c : chunks.subList(1, chunks.size())) {
            assertEquals("passes", c.context().symbol(), describe(chunks));
        }
    }

    @Test
    void smallNeighboursAreMerged() throws Exception {
        StringBuilder source = new StringBuilder("class Point {\n");
        for (String f : List.of("x", "y", "z", "w", "v", "u")) {
            source.append("    int ").append(f).append(";\n    int ").append(f).append("() { return ").append(f)
                    .append("; }\n");
        }
        source.append("}\n");
        List<Chunk> chunks = chunk("Point.java", source.toString());
        assertEquals(1, chunks.size(), describe(chunks));
        assertEquals(1, chunks.get(0).startLine());
        assertEquals(14, chunks.get(0).endLine());
    }

    @Test
    void aLineOverTheChunkButWithinTheModelIsAChunkOfItsOwnAndLongerOnesGoToLineWindows() throws Exception {
        FileChunker chunker = new FileChunker(ChunkingOptions.withTextTokens(128).withLineTokens(254), counter);
        String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi ";
        String source = "class Messages {\n    String greet(String name) {\n        return name;\n    }\n\n"
                + "    String banner() {\n        return \"" + words.repeat(8) + "\";\n    }\n}\n";
        List<Chunk> chunks = chunk(chunker, "Messages.java", source);
        Chunk banner = chunks.stream().filter(c -> c.startLine() <= 7 && c.endLine() >= 7).findFirst().orElseThrow();
        assertTrue(banner.tokens() > 128, "the long line whole, over the chunk's budget" + describe(chunks));
        assertEquals("banner", banner.context().symbol(), describe(chunks));
        assertTrue(chunks.stream().anyMatch(c -> c.context().symbol().equals("greet")), describe(chunks));

        String tooLong = source.replace(words.repeat(8), words.repeat(30));
        List<Chunk> windows = chunk(chunker, "Messages.java", tooLong);
        for (Chunk c : windows) {
            assertEquals("", c.context().symbol(), "a line the model cannot read whole: line windows" + describe(windows));
        }
    }

    @Test
    void brokenCodeFallsBackToLineWindowsWithAPathHeader() throws Exception {
        StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            garbage.append("}}} )( class ").append(i).append(" {{ def fn ( ) ] ) ; \" unterminated\n");
        }
        List<Chunk> chunks = chunk("Broken.java", garbage.toString());
        assertTrue(chunks.size() >= 2);
        for (Chunk c : chunks) {
            assertEquals("", c.context().symbol());
            assertEquals("Broken.java", c.context().header());
        }
        // Overlapping windows: the mark of the line chunker.
        assertTrue(chunks.get(1).startLine() <= chunks.get(0).endLine(), describe(chunks));
    }

    @Test
    void aSourceFileAboveTheParseCapGetsLineWindows() throws Exception {
        StringBuilder source = new StringBuilder("class Huge {\n");
        for (int i = 0; source.length() <= FileChunker.SYNTAX_MAX_BYTES; i++) {
            source.append("    int value").append(i).append("() { return ").append(i).append(" * 31 + 7; }\n");
        }
        source.append("}\n");
        List<Chunk> chunks = chunk("Huge.java", source.toString());
        assertTrue(chunks.size() > 100);
        assertTrue(chunks.stream().allMatch(c -> c.context().symbol().isEmpty() && c.context().header().equals("Huge.java")));
    }

    @Test
    void textFilesGetLineWindowsWithThePathAsHeader() throws Exception {
        List<Chunk> chunks = chunk("notes.md", "# Notes\n\nRemember to rotate the signing keys every quarter.\n");
        assertEquals(1, chunks.size());
        assertEquals("notes.md\n# Notes\n\nRemember to rotate the signing keys every quarter.", chunks.get(0).embedText());
        assertEquals("# Notes\n\nRemember to rotate the signing keys every quarter.", chunks.get(0).text());
    }
}
