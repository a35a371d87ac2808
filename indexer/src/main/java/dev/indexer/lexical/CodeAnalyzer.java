package dev.indexer.lexical;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Words of code and of prose about code, for lexical search. Identifiers are cut where people
 * cut them when they talk: {@code parseHttpResponse}, {@code parse_http_response} and {@code
 * http.response.parse} all give {@code parse}, {@code http}, {@code respons}; a camelCase word is
 * also kept whole, so searching the exact name ranks it first. Then lower case, stop words out
 * (English ones and question words), Porter stems ({@code sorts}, {@code sorted} and {@code sorting} meet at {@code sort}).
 */
public final class CodeAnalyzer extends Analyzer {
    /** Tokens shorter than this ({@code i}, {@code x}) are noise in code. */
    private static final int MIN_LENGTH = 2;

    /**
     * Lucene's English stop words and the words people put around a question ("how do I ...
     * from ...") but that say nothing about code; words that are also code ({@code get}, {@code
     * make}, {@code new}) stay.
     */
    private static final CharArraySet STOP_WORDS = stopWords();

    private static CharArraySet stopWords() {
        CharArraySet words = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false);
        words.addAll(List.of("from", "how", "what", "which", "when", "where", "who", "why", "does", "do", "did",
                "should", "would", "could", "can", "my", "me", "we", "you", "your", "our", "its", "has", "have", "had",
                "been", "some", "about", "than", "so", "very", "also", "just", "there", "here", "code", "find"));
        return CharArraySet.unmodifiableSet(words);
    }

    @Override
    protected TokenStreamComponents createComponents(String field) {
        // Letters and digits make words; '_', '.', '-' and everything else separate them.
        Tokenizer words = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        TokenStream stream = new IdentifierSplitFilter(words, MIN_LENGTH);
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, STOP_WORDS);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(words, stream);
    }

    /** The terms of a text, in order, repeated as often as they occur. */
    public List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = tokenStream("", new StringReader(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
        return terms;
    }
}
