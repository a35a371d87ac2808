package dev.indexer.embed.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.TestModels;
import dev.indexer.TestVectors;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder.Graph;
import dev.indexer.embed.onnx.OnnxEmbedder.Tuning;
import dev.indexer.embed.onnx.graph.FasterGraph;
import dev.indexer.embed.onnx.graph.FasterGraph.Rewrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The model rewritten to run faster ({@link FasterGraph}) against the model as shipped, on the real models. */
class FasterGraphTest {
    @TempDir
    Path dir;

    /**
     * 48 pieces of 3 to 27 lines of the sample tree's code, of many lengths so that calls pad their
     * inputs. Not this project's own sources: those change with the code, and with them how far a
     * short input's int8 vector moves (editing OnnxEmbedder once moved the worst piece here from
     * above 0.98 to 0.974).
     */
    private static List<String> texts() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("../samples"))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.(java|py|go|ts|js)")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int start = 0; start < lines.size() && texts.size() < 48; start += 8) {
                    int length = 3 + (texts.size() * 7) % 25;
                    texts.add(String.join("\n", lines.subList(start, Math.min(lines.size(), start + length))));
                }
            }
        }
        assertEquals(48, texts.size());
        return texts;
    }

    private static float[][] embed(ModelSpec spec, Graph graph, List<String> texts) {
        try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, Tuning.of(2).with(graph), TestModels.home(), null)) {
            assertEquals(graph, embedder.graph(), "the graph asked for is the one that runs");
            return embedder.embedDocuments(texts);
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void everyLayerOfTheShippedModelsIsRewrittenAndNothingIsLeftToRewrite(ModelSpec spec) throws IOException {
        ModelFiles files = ModelFiles.extract(spec, TestModels.home().resolve("models"));
        Path out = dir.resolve("rewritten.onnx");
        FasterGraph.Result result = FasterGraph.rewrite(files.onnx(), out, FasterGraph.all());
        int layers = spec == ModelSpec.BGE_SMALL ? 12 : 6;
        assertEquals(layers, result.attentionBlocks(), "one attention block per layer");
        assertEquals(2 * layers + 1, result.layerNorms(), "two layer norms per layer and the embeddings' one");
        assertTrue(result.nodesAfter() < result.nodesBefore() * 0.6, result.toString());
        assertTrue(result.firstTokenOutput(), "the last layer after its keys and values for the first token alone");
        FasterGraph.Result allTokens = FasterGraph.rewrite(files.onnx(), dir.resolve("all.onnx"), FasterGraph.allTokens());
        assertFalse(allTokens.firstTokenOutput(), allTokens.toString());
        assertEquals(result.nodesAfter() - 5, allTokens.nodesAfter(), "two slices and their three constants");
        // Rewritten again, nothing matches: no exported attention block or fusable layer norm is left.
        FasterGraph.Result again = FasterGraph.rewrite(out, dir.resolve("again.onnx"), FasterGraph.all());
        assertFalse(again.changed(), again.toString());
        assertFalse(Files.exists(dir.resolve("again.onnx")), "nothing is written when nothing changed");
        assertTrue(Files.size(out) < Files.size(files.onnx()), "the weights are copied once, the dead nodes dropped");
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void attentionInOneOperatorGivesTheSameVectors(ModelSpec spec) throws IOException {
        ModelFiles files = ModelFiles.extract(spec, TestModels.home().resolve("models"));
        Path out = dir.resolve("attention.onnx");
        FasterGraph.rewrite(files.onnx(), out, EnumSet.of(Rewrite.FUSED_ATTENTION));
        // Put the attention-only rewrite where the loader looks, in a home of its own.
        Path home = dir.resolve("home");
        Path models = Files.createDirectories(home.resolve("models").resolve(spec.id()));
        Files.copy(files.onnx(), models.resolve("model.onnx"));
        Files.copy(files.tokenizer(), models.resolve("tokenizer.json"));
        Files.copy(out, models.resolve(ModelFiles.REWRITTEN_NAME));
        List<String> texts = texts();
        float[][] shipped = embed(spec, Graph.AS_SHIPPED, texts);
        float[][] fused;
        try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, Tuning.of(2), home, null)) {
            assertEquals(Graph.REWRITTEN, embedder.graph());
            fused = embedder.embedDocuments(texts);
        }
        for (int i = 0; i < texts.size(); i++) {
            for (int d = 0; d < shipped[i].length; d++) {
                assertEquals(shipped[i][d], fused[i][d], 1e-5, "text " + i + ", dimension " + d);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void theRewrittenModelDiffersFromTheShippedOneLessThanBatchingDoes(ModelSpec spec) throws IOException {
        List<String> texts = texts();
        float[][] shipped = embed(spec, Graph.AS_SHIPPED, texts);
        float[][] rewritten = embed(spec, Graph.REWRITTEN, texts);
        // The int8 model quantizes each call's activations with one scale, so a text's vector moves
        // with the texts it is embedded beside; that is the noise any vector already carries.
        float[][] alone = new float[texts.size()][];
        try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, Tuning.of(2).with(Graph.AS_SHIPPED),
                TestModels.home(), null)) {
            for (int i = 0; i < texts.size(); i++) {
                alone[i] = embedder.embedDocuments(List.of(texts.get(i)))[0];
            }
        }
        boolean anyDifferent = false;
        for (int i = 0; i < texts.size(); i++) {
            anyDifferent |= !java.util.Arrays.equals(shipped[i], rewritten[i]);
        }
        assertTrue(anyDifferent, "the layer norms are computed another way, so some vector moves a little");
        double worstRewrite = 1;
        double worstBatching = 1;
        double sumRewrite = 0;
        double sumBatching = 0;
        for (int i = 0; i < texts.size(); i++) {
            double rewrite = TestVectors.cosine(shipped[i], rewritten[i]);
            double batching = TestVectors.cosine(shipped[i], alone[i]);
            worstRewrite = Math.min(worstRewrite, rewrite);
            worstBatching = Math.min(worstBatching, batching);
            sumRewrite += rewrite;
            sumBatching += batching;
        }
        String figures = String.format("rewrite: worst %.4f mean %.4f; batching: worst %.4f mean %.4f", worstRewrite,
                sumRewrite / texts.size(), worstBatching, sumBatching / texts.size());
        assertTrue(worstRewrite > 0.98, figures);
        assertTrue(sumRewrite / texts.size() > 0.995, figures);
        assertTrue(worstRewrite >= worstBatching - 0.005, figures);
    }

    @Test
    void aModelThatCannotBeReadRunsAsShipped() throws IOException {
        ModelFiles files = ModelFiles.extract(ModelSpec.MINILM, TestModels.home().resolve("models"));
        Path dirOfItsOwn = Files.createDirectories(dir.resolve("broken"));
        Path truncated = dirOfItsOwn.resolve("model.onnx");
        byte[] start = new byte[4096];
        try (var in = Files.newInputStream(files.onnx())) {
            assertEquals(start.length, in.readNBytes(start, 0, start.length));
        }
        Files.write(truncated, start);
        assertThrows(IOException.class, () -> FasterGraph.rewrite(truncated, dir.resolve("x.onnx"), FasterGraph.all()));
        ModelFiles broken = new ModelFiles(truncated, files.tokenizer());
        assertEquals(truncated, broken.rewritten(FasterGraph.allTokens()));
        try (Stream<Path> left = Files.list(dirOfItsOwn)) {
            assertEquals(List.of(truncated), left.toList(), "no partial file is left behind");
        }
    }

    @Test
    void aRewrittenFileTheRuntimeRefusesFallsBackToTheShippedGraph() throws IOException {
        ModelSpec spec = ModelSpec.MINILM;
        ModelFiles files = ModelFiles.extract(spec, TestModels.home().resolve("models"));
        Path home = dir.resolve("refused");
        Path models = Files.createDirectories(home.resolve("models").resolve(spec.id()));
        Files.copy(files.onnx(), models.resolve("model.onnx"));
        Files.copy(files.tokenizer(), models.resolve("tokenizer.json"));
        // Newer than the model, so it is taken as made; not a model ONNX Runtime can load.
        Files.writeString(models.resolve(ModelFiles.REWRITTEN_NAME), "not an onnx model");
        List<String> texts = texts().subList(0, 4);
        try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, Tuning.of(2), home, null)) {
            assertEquals(Graph.AS_SHIPPED, embedder.graph());
            float[][] vectors = embedder.embedDocuments(texts);
            float[][] shipped = embed(spec, Graph.AS_SHIPPED, texts);
            for (int i = 0; i < texts.size(); i++) {
                assertTrue(java.util.Arrays.equals(shipped[i], vectors[i]), "text " + i);
            }
        }
    }

    @Test
    void partialFilesAKilledProcessLeftAreRemovedOnceAbandoned() throws IOException {
        ModelFiles shipped = ModelFiles.extract(ModelSpec.MINILM, TestModels.home().resolve("models"));
        Path models = dir.resolve("models");
        Path own = Files.createDirectories(models.resolve(ModelSpec.MINILM.id()));
        Files.copy(shipped.onnx(), own.resolve("model.onnx"));
        Files.copy(shipped.tokenizer(), own.resolve("tokenizer.json"));
        Path abandoned = Files.writeString(own.resolve(ModelFiles.REWRITTEN_NAME + "123.part"), "half a model");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(dev.indexer.unpack.ClassPathFiles.ABANDONED_AFTER).minusSeconds(60)));
        Path writing = Files.writeString(own.resolve("model.onnx456.part"), "being copied now");
        ModelFiles.extract(ModelSpec.MINILM, models);
        assertFalse(Files.exists(abandoned), "an hour-old partial file is gone");
        assertTrue(Files.exists(writing), "one another process may be writing stays");
    }

    @Test
    void theRewrittenFileIsMadeOnceAndAgainWhenTheModelIsNewer() throws IOException {
        ModelFiles shipped = ModelFiles.extract(ModelSpec.MINILM, TestModels.home().resolve("models"));
        Path own = Files.createDirectories(dir.resolve("own"));
        Files.copy(shipped.onnx(), own.resolve("model.onnx"));
        ModelFiles files = new ModelFiles(own.resolve("model.onnx"), shipped.tokenizer());
        Path older = Files.writeString(own.resolve("model.rewritten-1.onnx"), "made by an earlier set of rules");
        Path first = files.rewritten(FasterGraph.allTokens());
        assertEquals(own.resolve(ModelFiles.REWRITTEN_NAME), first);
        assertFalse(Files.exists(older), "a file an earlier set of rules made is removed");
        assertEquals(Files.getPosixFilePermissions(files.onnx()), Files.getPosixFilePermissions(first),
                "readable as the model is, not owner-only as a temporary file");
        var made = Files.getLastModifiedTime(first);
        assertEquals(first, files.rewritten(FasterGraph.allTokens()));
        assertEquals(made, Files.getLastModifiedTime(first), "reused, not made again");
        Files.setLastModifiedTime(files.onnx(), java.nio.file.attribute.FileTime.fromMillis(made.toMillis() + 5000));
        assertEquals(first, files.rewritten(FasterGraph.allTokens()));
        assertTrue(Files.getLastModifiedTime(first).compareTo(made) > 0, "made again for a newer model file");
    }
}
