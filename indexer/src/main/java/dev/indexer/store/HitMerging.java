package dev.indexer.store;

import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.config.Defaults;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins hits that are pieces of one definition: a function too long for one chunk comes back as
 * several chunks, and a search for it would otherwise show them as separate hits, one after
 * another ({@code HashMap.resize} as hits 1 to 4). Pieces of the same definition (same repository
 * and file, symbol, kind and container) whose lines touch or overlap become one hit with the whole
 * span, at the rank of the best of them, so the hits after it show other code.
 */
final class HitMerging {
    /**
     * The most lines a joined hit spans: as many as the most a chunk holds at the default size
     * ({@link ChunkingOptions#maxLines}); past it pieces stay hits of their own, so a definition of
     * thousands of lines (a comment of nothing but markup, a generated table) is not one hit of all
     * of its text.
     */
    static final int MAX_LINES = ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS).maxLines();

    private HitMerging() {}

    /** The hits, best first, with touching pieces of one definition joined at the first one's rank. */
    public static List<SearchHit> merge(List<SearchHit> ranked) {
        List<SearchHit> out = new ArrayList<>(ranked.size());
        for (SearchHit hit : ranked) {
            SearchHit joined = hit;
            int at = -1;
            // A join can make a hit touch another kept one (pieces 1 and 3, then 2): join until none does.
            for (int i = partner(out, joined, -1); i >= 0; i = partner(out, joined, at)) {
                if (at < 0) {
                    joined = join(out.get(i), hit); // the kept one ranks higher: it came first
                    at = i;
                    out.set(at, joined);
                } else {
                    int first = Math.min(at, i);
                    int second = Math.max(at, i);
                    joined = join(out.get(first), out.get(second));
                    out.set(first, joined);
                    out.remove(second);
                    at = first;
                }
            }
            if (at < 0) {
                out.add(hit);
            }
        }
        return out;
    }

    /** The index of a kept hit that {@code hit} is another piece of, other than {@code self}; -1 if none. */
    private static int partner(List<SearchHit> kept, SearchHit hit, int self) {
        if (hit.symbol().isEmpty()) {
            return -1;
        }
        for (int i = 0; i < kept.size(); i++) {
            SearchHit other = kept.get(i);
            if (i != self && samePart(other, hit) && hit.startLine() <= other.endLine() + 1
                    && other.startLine() <= hit.endLine() + 1
                    && Math.max(hit.endLine(), other.endLine()) - Math.min(hit.startLine(), other.startLine()) < MAX_LINES) {
                return i;
            }
        }
        return -1;
    }

    private static boolean samePart(SearchHit a, SearchHit b) {
        return a.repo().equals(b.repo()) && a.path().equals(b.path()) && a.symbol().equals(b.symbol())
                && a.kind().equals(b.kind())
                && a.container().equals(b.container());
    }

    /** One hit over both spans, with {@code better}'s id and score; text in line order, shared lines once. */
    private static SearchHit join(SearchHit better, SearchHit other) {
        SearchHit first = better.startLine() <= other.startLine() ? better : other;
        SearchHit second = first == better ? other : better;
        String text;
        if (second.endLine() <= first.endLine()) {
            text = first.text(); // inside it already
        } else {
            int shared = Math.max(0, first.endLine() - second.startLine() + 1);
            String[] lines = second.text().split("\n", -1);
            String rest = String.join("\n", java.util.Arrays.asList(lines).subList(Math.min(shared, lines.length),
                    lines.length));
            text = rest.isEmpty() ? first.text() : first.text() + "\n" + rest;
        }
        return new SearchHit(better.id(), better.path(), first.startLine(), Math.max(first.endLine(), second.endLine()),
                better.language(), text, better.score(), better.symbol(), better.kind(), better.container(),
                better.repo());
    }
}
