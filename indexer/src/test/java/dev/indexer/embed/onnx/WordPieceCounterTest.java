package dev.indexer.embed.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Java counter must count exactly what the model's own tokenizer counts, line for line. */
class WordPieceCounterTest {
    private static final Path HOME = TestModels.home();

    private static int[] reference(ModelSpec spec, List<String> lines) {
        DjlEnvironment.prepare(HOME.resolve("cache").resolve("djl"));
        ModelFiles files = ModelFiles.extract(spec, HOME.resolve("models"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(files.tokenizer(),
                Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"))) {
            return new HfTokenCounter(hf).countLines(lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void asciiCornersCountAsTheRealTokenizerCountsThem() {
        List<String> lines = List.of(
                "", "   ", "\t\tindented\twith tabs\r", "parseHTTPResponse2(x, y) -> z;",
                "snake_case_name = other.dotted.name[3]!", "a".repeat(100), "b".repeat(101) + " tail",
                "x".repeat(40) + "qzjx" + "y".repeat(40), "unicode-free but {braces} and ~tilde^caret`tick",
                "[CLS] looks special [SEP] and [MASK], [UNK] [PAD] too", "[not special] [cls]",
                "bell\u0007inside a word", "delete\u007Fhere", "vertical\u000Btab and form\u000Cfeed",
                "numbers 1234567890 0x7fffffff 3.14159e-10", "MiXeD CaSe WoRdS", "@Override public void run() {}",
                "#!/usr/bin/env python3", "<html><body class=\"x\">&amp;</body></html>");
        for (ModelSpec spec : ModelSpec.values()) {
            try (HfTokenizer fast = HfTokenizer.open(spec, HOME)) {
                assertArrayEquals(reference(spec, lines), fast.countLines(lines), spec.id());
            }
        }
    }

    @Test
    void realCodeOfSeveralLanguagesCountsTheSame() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "samples"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(java|py|go|ts|js|md)"))
                    .sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) { // random printable ASCII, a fuzz of the punctuation rules
            StringBuilder line = new StringBuilder();
            for (int j = random.nextInt(80); j > 0; j--) {
                line.append((char) (32 + random.nextInt(95)));
            }
            lines.add(line.toString());
        }
        lines.add("caf\u00e9 na\u00efve \u4e2d\u6587 – non-ASCII goes to the real tokenizer");
        try (HfTokenizer fast = HfTokenizer.open(ModelSpec.BGE_SMALL, HOME)) {
            int[] expected = reference(ModelSpec.BGE_SMALL, lines);
            int[] actual = fast.countLines(lines);
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(expected[i], actual[i], "line: " + lines.get(i));
            }
        }
    }
}
