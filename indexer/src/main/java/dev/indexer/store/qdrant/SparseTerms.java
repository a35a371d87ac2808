package dev.indexer.store.qdrant;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A text's code-aware terms as a sparse vector, for stores that rank lexical matches themselves
 * (Qdrant): each term's dimension is a 32-bit hash of it, and its value the BM25 term-frequency
 * part, {@code tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen))}. The store multiplies in the
 * inverse document frequency, which only it knows; the average length is fixed instead of
 * measured, since a stream of chunks cannot know it in advance and chunks are all of similar size.
 *
 * @param indices term hashes, ascending (as unsigned 32-bit numbers in Java ints)
 * @param values the weight of each
 */
record SparseTerms(int[] indices, float[] values) {
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    /** Terms per chunk, about: 256-token chunks of code give 100 to 200 terms. */
    private static final double AVERAGE_LENGTH = 150;

    /** The weighted terms of a chunk's text. */
    public static SparseTerms document(List<String> terms) {
        Map<Integer, Integer> counts = counts(terms);
        int[] indices = new int[counts.size()];
        float[] values = new float[counts.size()];
        double norm = K1 * (1 - B + B * terms.size() / AVERAGE_LENGTH);
        int i = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            indices[i] = e.getKey();
            int tf = e.getValue();
            values[i++] = (float) (tf * (K1 + 1) / (tf + norm));
        }
        return new SparseTerms(indices, values);
    }

    /** A query's terms, each once, weight 1: the store's IDF does the rest. */
    public static SparseTerms query(List<String> terms) {
        int[] indices = counts(terms).keySet().stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[indices.length];
        Arrays.fill(values, 1f);
        return new SparseTerms(indices, values);
    }

    public boolean isEmpty() {
        return indices.length == 0;
    }

    private static Map<Integer, Integer> counts(List<String> terms) {
        Map<Integer, Integer> counts = new TreeMap<>(Integer::compareUnsigned);
        for (String term : terms) {
            counts.merge(hash(term), 1, Integer::sum);
        }
        return counts;
    }

    /** FNV-1a over the term's UTF-8 bytes: the same on every machine and in every run, which the server's index needs. */
    static int hash(String term) {
        int h = 0x811c9dc5;
        for (byte b : term.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
