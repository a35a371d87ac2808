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

    /**
     * This hit with its text shown in about {@code chars} characters: as it is when it fits; else
     * each line without its trailing blanks, and, if that is still too long, every line still
     * there but the longest cut to an equal length, each cut one ending in {@code …}: short lines
     * (most code) stay whole and a hit keeps one line of text per line of its span. Chunks are cut
     * by the tokens the model reads, and blank runs or lines that are only comment markup cost it
     * nothing: 512 lines of 4,000 blanks or stars are one chunk of 2 MB, which every answer that
     * holds it would carry whole.
     */
    public SearchHit shownAtMost(int chars) {
        if (text.length() <= chars) {
            return this;
        }
        String[] lines = text.split("\n", -1);
        long length = lines.length - 1L; // the line breaks
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lines[i].stripTrailing();
            length += lines[i].length();
        }
        if (length > chars) {
            int longest = longestLine(lines, chars - (lines.length - 1L));
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].length() > longest) {
                    int cut = Math.max(0, longest - 1);
                    if (cut > 0 && Character.isHighSurrogate(lines[i].charAt(cut - 1))) {
                        cut--; // never half a character
                    }
                    lines[i] = lines[i].substring(0, cut) + "\u2026";
                }
            }
        }
        return withText(String.join("\n", lines));
    }

    /**
     * The longest a line may be so that all of them together take at most {@code budget}
     * characters, each shorter line whole (at least 16, whatever the budget).
     */
    private static int longestLine(String[] lines, long budget) {
        int[] lengths = java.util.Arrays.stream(lines).mapToInt(String::length).sorted().toArray();
        long used = 0;
        for (int i = 0; i < lengths.length; i++) {
            long rest = lengths.length - i;
            if (used + lengths[i] * rest > budget) {
                return (int) Math.max(16, (budget - used) / rest);
            }
            used += lengths[i];
        }
        return Integer.MAX_VALUE;
    }

    private SearchHit withText(String value) {
        return new SearchHit(id, path, startLine, endLine, language, value, score, symbol, kind, container, repo, copies);
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
