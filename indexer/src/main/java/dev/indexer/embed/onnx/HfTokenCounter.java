package dev.indexer.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.indexer.chunk.TokenCounter;
import java.util.Arrays;
import java.util.List;

/**
 * Counts tokens with the model's own tokenizer. Lines are joined with newlines and encoded in one
 * call; each token is then assigned to the line its first character falls in. This is exact for
 * tokenizers that split on whitespace before anything else (WordPiece, as in BERT models), since
 * no token can then span a newline.
 */
final class HfTokenCounter implements TokenCounter {
    private final HuggingFaceTokenizer tokenizer;

    HfTokenCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public int[] countLines(List<String> lines) {
        int[] counts = new int[lines.size()];
        if (lines.isEmpty()) {
            return counts;
        }
        // The tokenizer reports offsets in Unicode code points, so line starts are counted the same way.
        int[] starts = new int[lines.size()];
        StringBuilder text = new StringBuilder();
        int codePoints = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) {
                text.append('\n');
                codePoints++;
            }
            starts[i] = codePoints;
            text.append(line);
            codePoints += line.codePointCount(0, line.length());
        }
        Encoding encoding = tokenizer.encode(text.toString(), false, false);
        for (CharSpan span : encoding.getCharTokenSpans()) {
            if (span == null) {
                continue;
            }
            int line = Arrays.binarySearch(starts, span.getStart());
            counts[line >= 0 ? line : -line - 2]++;
        }
        return counts;
    }
}
