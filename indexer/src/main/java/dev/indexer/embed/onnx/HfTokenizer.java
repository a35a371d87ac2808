package dev.indexer.embed.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.indexer.IndexerException;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.EmbedderFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model's tokenizer without the model: counts tokens as the model will see them. ASCII lines
 * are counted in Java ({@link WordPieceCounter}); the rest by the Hugging Face tokenizer, whose
 * native library is all this loads besides (ONNX Runtime is not started).
 */
final class HfTokenizer implements EmbedderFactory.Tokenizer {
    private final HuggingFaceTokenizer counting;
    private final WordPieceCounter counter;
    private boolean closed;

    private HfTokenizer(HuggingFaceTokenizer counting, WordPieceCounter counter) {
        this.counting = counting;
        this.counter = counter;
    }

    /**
     * @param homeDir where the model files are unpacked and DJL keeps its cache
     * @throws IndexerException if the tokenizer cannot be unpacked or loaded
     */
    public static HfTokenizer open(ModelSpec spec, Path homeDir) {
        DjlEnvironment.prepare(homeDir.resolve("cache").resolve("djl"));
        ModelFiles files = ModelFiles.extract(spec, homeDir.resolve("models"));
        HuggingFaceTokenizer counting = null;
        try {
            counting = HuggingFaceTokenizer.newInstance(files.tokenizer(), Map.of("truncation", "false",
                    "padding", "false",
                    "addSpecialTokens", "false"));
            return new HfTokenizer(counting, new WordPieceCounter(WordPieceCounter.vocabulary(files.tokenizer()),
                    new HfTokenCounter(counting)));
        } catch (IOException | RuntimeException e) {
            if (counting != null) {
                counting.close();
            }
            throw new IndexerException("Could not load the " + spec.id() + " tokenizer from " + files.tokenizer()
                    + " (" + e.getMessage() + "); delete that directory so it is unpacked again.", e);
        }
    }

    @Override
    public int[] countLines(List<String> lines) {
        return counter.countLines(lines);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            counting.close();
        }
    }
}
