package dev.indexer.embed.onnx;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.indexer.chunk.TokenCounter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Counts BERT WordPiece tokens (uncased, as both shipped models are) in plain Java, for lines of
 * printable ASCII, which is nearly all of code; any other line goes to the model's own tokenizer.
 * The result is the same as the Hugging Face tokenizer's, token for token (checked on the JDK's
 * sources): for ASCII, BERT's normalizer only drops control characters and lower-cases, and its
 * pre-tokenizer splits at whitespace and makes each punctuation character a word; each word is
 * then matched greedily, longest piece first, against the vocabulary ({@code ##} marks a piece
 * inside a word; a word with an unmatched rest, or over 100 characters, is one unknown token).
 *
 * <p>It is an order of magnitude faster than the native tokenizer behind JNI (counting needs no
 * token ids, offsets or padding, and code repeats its words: counts are remembered per word), so
 * chunking keeps up with reading. Thread-safe.
 */
final class WordPieceCounter implements TokenCounter {
    private static final int MAX_WORD_CHARS = 100;
    /** Words whose counts are remembered at most; the memo is cleared when full. */
    private static final int MEMO_WORDS = 1 << 16;
    /** Special tokens the tokenizer finds in raw text: a line holding one goes to the real tokenizer. */
    private static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private final Set<String> vocabulary;
    private final TokenCounter fallback;
    private final ThreadLocal<Map<String, Integer>> memo = ThreadLocal.withInitial(HashMap::new);

    WordPieceCounter(Set<String> vocabulary, TokenCounter fallback) {
        this.vocabulary = vocabulary;
        this.fallback = fallback;
    }

    /** The WordPiece vocabulary of a Hugging Face {@code tokenizer.json}: the keys of {@code model.vocab}. */
    static Set<String> vocabulary(Path tokenizerJson) throws IOException {
        Set<String> vocabulary = new HashSet<>(65_536);
        try (Reader file = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8);
                JsonReader json = new JsonReader(file)) {
            json.beginObject();
            while (json.hasNext()) {
                if (!json.nextName().equals("model")) {
                    json.skipValue();
                    continue;
                }
                json.beginObject();
                while (json.hasNext()) {
                    if (!json.nextName().equals("vocab") || json.peek() != JsonToken.BEGIN_OBJECT) {
                        json.skipValue();
                        continue;
                    }
                    json.beginObject();
                    while (json.hasNext()) {
                        vocabulary.add(json.nextName());
                        json.skipValue();
                    }
                    json.endObject();
                }
                json.endObject();
            }
        }
        if (vocabulary.isEmpty()) {
            throw new IOException(tokenizerJson + " has no WordPiece vocabulary");
        }
        return vocabulary;
    }

    @Override
    public int[] countLines(List<String> lines) {
        int[] counts = lines.stream().mapToInt(this::countAscii).toArray();
        int[] others = IntStream.range(0, counts.length).filter(i -> counts[i] < 0).toArray();
        if (others.length > 0) {
            int[] slow = fallback.countLines(Arrays.stream(others).mapToObj(lines::get).toList());
            for (int j = 0; j < slow.length; j++) {
                counts[others[j]] = slow[j];
            }
        }
        return counts;
    }

    /** The tokens of an ASCII line; -1 for a line this counter leaves to the real tokenizer. */
    int countAscii(String line) {
        int tokens = 0;
        int wordStart = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= 0x7F || c < ' ' && c != '\t' && c != '\n' && c != '\r') {
                // Beyond ASCII, or a control character BERT's normalizer deletes (joining what is
                // around it into one word): rare enough to leave to the real tokenizer.
                return -1;
            }
            if (c == '[' && special(line, i)) {
                return -1;
            }
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (letterOrDigit) {
                if (wordStart < 0) {
                    wordStart = i;
                }
                continue;
            }
            if (wordStart >= 0) {
                tokens += word(line, wordStart, i);
                wordStart = -1;
            }
            if (c > ' ') {
                tokens++; // punctuation is a word of its own, and every ASCII mark is in the vocabulary
            }
            // whitespace separates words and counts for nothing
        }
        if (wordStart >= 0) {
            tokens += word(line, wordStart, line.length());
        }
        return tokens;
    }

    private static boolean special(String line, int at) {
        return SPECIAL.stream().anyMatch(token -> line.startsWith(token, at));
    }

    /** WordPiece pieces of the letters and digits {@code line[from, to)}, remembered per word. */
    private int word(String line, int from, int to) {
        if (to - from > MAX_WORD_CHARS) {
            return 1; // [UNK]
        }
        Map<String, Integer> known = memo.get();
        if (known.size() >= MEMO_WORDS) {
            known.clear();
        }
        return known.computeIfAbsent(line.substring(from, to), word -> pieces(word.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Greedy longest-match-first, as WordPiece does; an unmatched rest makes the whole word [UNK]. */
    private int pieces(String word) {
        int count = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            while (start < end
                    && !vocabulary.contains(start == 0 ? word.substring(0, end) : "##" + word.substring(start, end))) {
                end--;
            }
            if (end == start) {
                return 1;
            }
            count++;
            start = end;
        }
        return count;
    }
}
