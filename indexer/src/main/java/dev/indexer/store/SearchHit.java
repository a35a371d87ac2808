package dev.indexer.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One search result.
 *
 * @param path file path below the collection's root
 * @param startLine first line of the chunk, 1-based
 * @param endLine last line of the chunk
 * @param score vector mode: cosine similarity (-1 to 1); lexical: BM25; hybrid: fused reciprocal rank
 * @param symbol the function or type the chunk holds or is part of; empty if none
 * @param kind what {@code symbol} is ({@code method}, {@code class}...); empty if none
 * @param container the type around {@code symbol}; empty if none
 * @param repo the repository the chunk is from, within its collection
 * @param copies other places whose text is exactly this hit's (a vendored or aliased file, a
 *     copied function): shown once, here, rather than taking a place each
 */
public record SearchHit(String id, String path, int startLine, int endLine, String language, String text, float score,
        String symbol, String kind, String container, String repo, List<Copy> copies) {

    /** Another place with the same text as a hit. */
    public record Copy(String id, String repo, String path, int startLine, int endLine) {}

    public SearchHit {
        copies = copies == null ? List.of() : List.copyOf(copies); // null: read from JSON that had none
    }

    /** A hit with no copies. */
    public SearchHit(String id, String path, int startLine, int endLine, String language, String text, float score,
            String symbol, String kind, String container, String repo) {
        this(id, path, startLine, endLine, language, text, score, symbol, kind, container, repo, List.of());
    }

    public SearchHit withScore(float value) {
        return new SearchHit(id, path, startLine, endLine, language, text, value, symbol, kind, container, repo, copies);
    }

    /** This hit as a chunk of {@code name}: stores that keep one repository to an index say so here. */
    public SearchHit inRepo(String name) {
        return new SearchHit(id, path, startLine, endLine, language, text, score, symbol, kind, container, name, copies);
    }

    /** The most copies a line of text names; JSON gives them all. */
    private static final int COPIES_NAMED = 5;

    /**
     * The copies as a line for people ("the same text in a.js:1-9, b.js:1-9 and 12 more"), each
     * with its repository first if {@code withRepo}; empty if there are none.
     */
    public String copiesLine(boolean withRepo) {
        if (copies.isEmpty()) {
            return "";
        }
        List<String> named = copies.stream().limit(COPIES_NAMED).map(c -> (withRepo ? "[" + c.repo() + "] " : "")
                + c.path() + ":" + c.startLine() + "-" + c.endLine()).toList();
        int more = copies.size() - named.size();
        return "the same text in " + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "");
    }

    /** This hit with {@code other}'s place and its copies among its copies (each place once, not its own). */
    SearchHit withCopy(SearchHit other) {
        List<Copy> more = new ArrayList<>(copies);
        add(more, new Copy(other.id, other.repo, other.path, other.startLine, other.endLine));
        other.copies.forEach(c -> add(more, c));
        return new SearchHit(id, path, startLine, endLine, language, text, score, symbol, kind, container, repo, more);
    }

    private void add(List<Copy> to, Copy copy) {
        boolean known = copy.repo().equals(repo) && copy.path().equals(path) && copy.startLine() == startLine
                && copy.endLine() == endLine || to.stream().anyMatch(c -> c.repo().equals(copy.repo())
                        && c.path().equals(copy.path()) && c.startLine() == copy.startLine() && c.endLine() == copy.endLine());
        if (!known) {
            to.add(copy);
        }
    }
}
