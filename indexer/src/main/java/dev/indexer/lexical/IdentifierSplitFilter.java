package dev.indexer.lexical;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Cuts a word at case and digit changes ({@code HTTPResponse2} into {@code HTTP}, {@code Response},
 * {@code 2}) and emits the parts after the word itself, at the same position. Parts and words
 * shorter than {@code minLength} are dropped.
 */
final class IdentifierSplitFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
    private final Deque<String> parts = new ArrayDeque<>();
    private final int minLength;

    IdentifierSplitFilter(TokenStream input, int minLength) {
        super(input);
        this.minLength = minLength;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!parts.isEmpty()) {
            term.setEmpty().append(parts.removeFirst());
            position.setPositionIncrement(0);
            return true;
        }
        while (input.incrementToken()) {
            String word = term.toString();
            List<String> split = split(word);
            if (split.size() > 1) {
                split.stream().filter(part -> part.length() >= minLength).forEach(parts::add);
            }
            if (word.length() >= minLength) {
                return true;
            }
            if (!parts.isEmpty()) {
                term.setEmpty().append(parts.removeFirst());
                return true;
            }
        }
        return false;
    }

    /** The parts of an identifier: {@code parseHTTPResponse2x} gives parse, HTTP, Response, 2, x. */
    static List<String> split(String word) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < word.length(); i++) {
            char prev = word.charAt(i - 1);
            char c = word.charAt(i);
            boolean boundary = (Character.isLowerCase(prev) && Character.isUpperCase(c))
                    || (Character.isDigit(prev) != Character.isDigit(c))
                    || (Character.isUpperCase(prev) && Character.isUpperCase(c)
                            && i + 1 < word.length() && Character.isLowerCase(word.charAt(i + 1)));
            if (boundary) {
                out.add(word.substring(start, i));
                start = i;
            }
        }
        out.add(word.substring(start));
        return out;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        parts.clear();
    }
}
