package dev.indexer.store;

import dev.indexer.chunk.Symbol;
import dev.indexer.lexical.CodeAnalyzer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes hits land on the function. A chunk is a window of about 128 tokens: a short method in a
 * big file of similar ones shares its chunk with its neighbours, or is missed while they are found.
 * For each file among the first hits, the places that file holds in the list are filled again from
 * its candidates and its definitions (functions, methods and constructors that hold no other one):
 * <ul>
 *   <li>a candidate that lies in one definition is shown as that definition, with its span and name
 *       (a definition of more than {@link #MAX_SHOWN_LINES} lines as the piece found); one over
 *       several keeps its lines and is named by the one whose name shares most with the query;
 *   <li>a definition that no candidate lies in competes for the file's places by its own text
 *       (BM25 over the file's definitions and candidates, the words of its name counting
 *       {@code nameWeight} times more), at {@code textWeight} of the file's best candidate;
 *   <li>in a hybrid search ({@code rescore}) the candidates too are re-scored by their own text;
 *       a search in one mode keeps their order (re-scoring them cost the vector mode up to 0.045
 *       of span recall on a tuning half, the lexical mode has ranked them by words already).
 * </ul>
 * A hit whose text is exactly that of one before it (an identical file) is folded into that one as
 * a copy, and its place goes to the next candidate; the places each file holds are counted with
 * such copies taken out, and a landed hit also names the files that the index knows to have its
 * file's whole text. Other files keep their places, so the order of files is the one the search
 * made. Candidates
 * below the cut lend their scores to the definitions they lie in. Weights chosen on the tuning
 * halves of the four-language evaluation (docs/benchmarks.md, "Hits that land on the function").
 */
public final class Landing {
    /** The kinds a hit lands on. */
    public static final Set<String> CALLABLE = Set.of("function", "method", "constructor");
    /** Files whose places are filled again, at most: each costs a read of the file. */
    static final int MAX_FILES = 10;
    /**
     * Characters of files one search scores, at most (the first file always): their words are
     * what landing spends its time on (on the JDK, 244 KB a query, 4.5 ms), and a few generated
     * files of 500 KB would otherwise make one search take ten times that.
     */
    static final long MAX_CHARS = 1L << 20;
    /** A definition longer than this is shown as the piece of it that was found, not whole. */
    static final int MAX_SHOWN_LINES = 80;

    /** The id of a hit shown as a definition starts so. */
    public static final String DEFINITION_ID = "definition:";
    /** The id of a chunk's lines in a file with the same text (its own chunk id is not at hand) starts so. */
    static final String COPY_ID = "copy:";

    /** As searches land: the weights chosen on the tuning halves of the evaluation. */
    public static final Landing SHIPPED = new Landing(0.4, 2);

    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final double textWeight;
    private final int nameWeight;
    private final Meaning meaning;
    private final double meaningShare;

    /**
     * @param textWeight how much a definition's own text counts against its best chunk's score (0..1)
     * @param nameWeight how many more times the words of its name count than the words of its body
     */
    public Landing(double textWeight, int nameWeight) {
        this(textWeight, nameWeight, null, 0);
    }

    /**
     * As {@link #Landing(double, int)}, a unit's own text also scored by its meaning: {@code
     * meaningShare} of its text score is its similarity to the query, the rest its words' (BM25
     * scaled to the file's best). For the evaluation: what definitions' own vectors would give.
     */
    public Landing(double textWeight, int nameWeight, Meaning meaning, double meaningShare) {
        this.textWeight = textWeight;
        this.nameWeight = nameWeight;
        this.meaning = meaning;
        this.meaningShare = meaningShare;
    }

    /** How alike a query and some texts are in meaning (cosine of their embeddings), one per text. */
    @FunctionalInterface
    public interface Meaning {
        double[] similarity(String query, List<String> texts);
    }

    /**
     * A file's definitions (its callables at least), its lines as they are now (secrets taken out),
     * and the other files of its repository with exactly its text (paths below the root), which its
     * hits name as copies.
     */
    public record FileDefinitions(List<Symbol> symbols, List<String> lines, List<String> sameText) {
        public FileDefinitions {
            symbols = List.copyOf(symbols);
            lines = List.copyOf(lines);
            sameText = List.copyOf(sameText);
        }

        /** A file whose copies, if any, are not known. */
        public FileDefinitions(List<Symbol> symbols, List<String> lines) {
            this(symbols, lines, List.of());
        }
    }

    /** Where the definitions of a hit's file come from. */
    @FunctionalInterface
    public interface Definitions {
        /** None: hits are left as the search ranked them. */
        Definitions NONE = (repo, path) -> Optional.empty();

        /**
         * The definitions of the file at {@code path} (below its root) of repository {@code repo};
         * empty if not known.
         */
        Optional<FileDefinitions> of(String repo, String path);
    }

    /**
     * The first {@code k} of {@code ranked} (best first, more candidates than {@code k} welcome:
     * they lend their scores to the definitions they lie in), landed on definitions.
     */
    public List<SearchHit> land(String query, List<SearchHit> ranked, int k, Definitions definitions,
            boolean rescore) {
        Map<SearchHit, List<SearchHit>> copiesOf = new IdentityHashMap<>();
        List<SearchHit> first = distinctTop(ranked, k, copiesOf);
        List<SearchHit> top = new ArrayList<>(first);
        Set<String> queryTerms = new LinkedHashSet<>(ANALYZER.terms(query));
        // By file: one path may be a file of each of several repositories.
        Map<List<String>, List<Integer>> places = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {
            places.computeIfAbsent(fileOf(top.get(i)), p -> new ArrayList<>()).add(i);
        }
        int files = 0;
        long read = 0;
        Set<List<String>> landed = new HashSet<>();
        for (Map.Entry<List<String>, List<Integer>> file : places.entrySet()) {
            if (files++ == MAX_FILES) {
                break;
            }
            Optional<FileDefinitions> defs;
            try {
                defs = definitions.of(file.getKey().get(0), file.getKey().get(1));
            } catch (RuntimeException e) {
                defs = Optional.empty(); // a navigation index that cannot be read: the search still answers
            }
            if (defs.isEmpty()) {
                continue;
            }
            long chars = defs.get().lines().stream().mapToLong(String::length).sum();
            if (!landed.isEmpty() && read + chars > MAX_CHARS) {
                continue; // its hits stay as ranked: the search's time stays bounded
            }
            read += chars;
            List<SearchHit> candidates = ranked.stream().filter(h -> fileOf(h).equals(file.getKey())).toList();
            List<Shown> best = bestOf(query, queryTerms, file.getKey().get(1), candidates, defs.get(),
                    file.getValue().size(), rescore);
            List<Integer> at = file.getValue();
            for (int i = 0; i < at.size(); i++) {
                // A place left over (two pieces of the file's only definition) is given up below.
                top.set(at.get(i), i < best.size() ? named(best.get(i), defs.get().sameText(), copiesOf)
                        .withScore(top.get(at.get(i)).score()) : null);
            }
            landed.add(file.getKey());
        }
        Listed shown = new Listed(k);
        for (int i = 0; i < top.size(); i++) {
            SearchHit hit = top.get(i);
            if (hit != null) {
                shown.add(hit);
                if (hit == first.get(i)) { // as ranked (its file not landed on): its copies fold into it
                    copiesOf.getOrDefault(hit, List.of()).forEach(shown::add);
                }
            }
        }
        // Places given up, and places of copies folded into the hit they copy, go to the next
        // candidates of files not landed on (those were all weighed); every later copy of a hit
        // shown is named by it.
        Set<SearchHit> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        placed.addAll(first);
        copiesOf.values().forEach(placed::addAll); // named by the hit they copy, or not shown with it
        for (SearchHit hit : ranked) {
            if (!placed.contains(hit) && !landed.contains(fileOf(hit))) {
                shown.add(hit);
            }
        }
        return shown.hits;
    }

    /**
     * The first {@code k} of {@code ranked} as a reader sees them: a hit whose text is exactly
     * that of one before it (the same generated class in ten files) takes no place, so the places
     * each file holds, which landing fills again, are counted without copies.
     */
    private static List<SearchHit> distinctTop(List<SearchHit> ranked, int k, Map<SearchHit, List<SearchHit>> copiesOf) {
        List<SearchHit> top = new ArrayList<>(k);
        Map<String, SearchHit> byText = new HashMap<>();
        for (int i = 0; i < ranked.size() && top.size() < k; i++) {
            SearchHit hit = ranked.get(i);
            SearchHit before = hit.text().isBlank() ? null : byText.putIfAbsent(hit.text(), hit);
            if (before == null) {
                top.add(hit);
            } else {
                copiesOf.computeIfAbsent(before, h -> new ArrayList<>()).add(hit);
            }
        }
        return top;
    }

    /**
     * A unit as shown, naming its copies: the files with its file's whole text (at its lines), and
     * the candidates that copied the chunk it came from (at their own lines: their files may
     * differ elsewhere).
     */
    private static SearchHit named(Shown unit, List<String> sameText, Map<SearchHit, List<SearchHit>> copiesOf) {
        SearchHit hit = inCopies(unit.hit(), sameText);
        for (SearchHit copy : copiesOf.getOrDefault(unit.from(), List.of())) {
            if (!(copy.repo().equals(hit.repo()) && sameText.contains(copy.path()))) {
                hit = hit.withCopy(copy);
            }
        }
        return hit;
    }

    /** A hit as landing shows it, and the candidate it came from (itself, or a definition no candidate lies in). */
    private record Shown(SearchHit hit, SearchHit from) {}

    /**
     * The hits shown so far, a hit whose text is exactly that of one shown before folded into it
     * as a copy: identical files (a vendored library, aliases such as async's {@code forEach.js}
     * and {@code each.js}, generated code) otherwise take a place each with the same lines, and
     * push other files out of the list.
     */
    private static final class Listed {
        final List<SearchHit> hits = new ArrayList<>();
        private final Map<String, Integer> byText = new HashMap<>();
        private final int k;

        Listed(int k) {
            this.k = k;
        }

        /** Adds {@code hit}, or folds it into the hit of its text; hits past the first {@code k} are dropped. */
        void add(SearchHit hit) {
            Integer at = hit.text().isBlank() ? null : byText.get(hit.text());
            if (at == null) {
                if (hits.size() < k) {
                    if (!hit.text().isBlank()) {
                        byText.put(hit.text(), hits.size());
                    }
                    hits.add(hit);
                }
            } else if (!samePlace(hits.get(at), hit)) {
                hits.set(at, hits.get(at).withCopy(hit));
            }
        }

        private static boolean samePlace(SearchHit a, SearchHit b) {
            return a.repo().equals(b.repo()) && a.path().equals(b.path()) && a.startLine() == b.startLine()
                    && a.endLine() == b.endLine();
        }
    }

    /**
     * {@code hit} naming the same lines of each file with its file's text: the query that it answers
     * is answered there too, and a search cannot tell them apart (async's {@code anySeries.js} is its
     * {@code someSeries.js}), so they are shown here rather than as hits of their own.
     */
    private static SearchHit inCopies(SearchHit hit, List<String> sameText) {
        SearchHit named = hit;
        String repo = hit.repo().isEmpty() ? "" : hit.repo() + "|";
        String definition = DEFINITION_ID + repo + hit.path() + ":";
        for (String path : sameText) {
            // The id its own hit would have, where it can be known: a cursor's later pages leave it out.
            String id = hit.id().startsWith(definition)
                    ? DEFINITION_ID + repo + path + ":" + hit.id().substring(definition.length())
                    : COPY_ID + repo + path + ":" + hit.startLine() + "-" + hit.endLine();
            named = named.withCopy(new SearchHit(id, path, hit.startLine(), hit.endLine(), hit.language(), hit.text(),
                    hit.score(), hit.symbol(), hit.kind(), hit.container(), hit.repo()));
        }
        return named;
    }

    private static List<String> fileOf(SearchHit hit) {
        return List.of(hit.repo(), hit.path());
    }

    /** A candidate chunk, or a definition no candidate lies in, with what it is scored by and shown as. */
    private static final class Unit {
        final SearchHit shown;
        final double chunkScore; // 0: no candidate lies in it
        final List<String> nameTerms;
        double lexical;

        Unit(SearchHit shown, double chunkScore, List<String> nameTerms) {
            this.shown = shown;
            this.chunkScore = chunkScore;
            this.nameTerms = nameTerms;
        }
    }

    private List<Shown> bestOf(String query, Set<String> queryTerms, String path, List<SearchHit> candidates,
            FileDefinitions file, int places, boolean rescore) {
        List<Symbol> leaves = leaves(file.symbols());
        List<Unit> units = new ArrayList<>();
        Set<Symbol> found = new HashSet<>();
        List<List<Symbol>> inside = new ArrayList<>();
        for (SearchHit hit : candidates) {
            List<Symbol> over = leaves.stream()
                    .filter(l -> l.startLine() <= hit.endLine() && hit.startLine() <= l.endLine()).toList();
            found.addAll(over);
            inside.add(over);
        }
        String language = candidates.get(0).language();
        String repo = candidates.get(0).repo();
        for (int i = 0; i < candidates.size(); i++) {
            SearchHit hit = candidates.get(i);
            List<Symbol> over = inside.get(i);
            units.add(new Unit(hit, hit.score(), ANALYZER.terms(over.stream().map(Symbol::name)
                    .reduce("", (a, b) -> a + " " + b))));
        }
        for (Symbol leaf : leaves) {
            if (!found.contains(leaf)) {
                units.add(new Unit(definition(leaf, null, repo, path, language, file.lines()), 0,
                        ANALYZER.terms(leaf.name())));
            }
        }
        scoreText(queryTerms, units);
        if (meaning != null && !units.isEmpty()) {
            double best = units.stream().mapToDouble(u -> u.lexical).max().orElse(0);
            double[] alike = meaning.similarity(query, units.stream().map(u -> u.shown.text()).toList());
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                u.lexical = (1 - meaningShare) * share(u.lexical, best) + meaningShare * Math.max(0, alike[i]);
            }
        }
        double topChunk = units.stream().mapToDouble(u -> u.chunkScore).max().orElse(0);
        double topText = units.stream().mapToDouble(u -> u.lexical).max().orElse(0);
        // Re-scored: by the candidate's score and its own text. Else the candidates keep the order
        // the search gave them, and a definition that none lies in comes in by its text alone.
        Comparator<Unit> order = rescore
                ? Comparator.comparingDouble(u -> -((1 - textWeight) * share(u.chunkScore, topChunk)
                        + textWeight * share(u.lexical, topText)))
                : Comparator.comparingDouble(u -> -(u.chunkScore > 0 ? share(u.chunkScore, topChunk)
                        : textWeight * share(u.lexical, topText)));
        units.sort(order.thenComparing(u -> -u.chunkScore));
        List<Shown> best = new ArrayList<>(places);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < units.size() && best.size() < places; i++) {
            SearchHit shown = landed(units.get(i).shown, leaves, queryTerms, path, file.lines());
            if (ids.add(shown.id())) { // two pieces of one definition land on it once
                best.add(new Shown(shown, units.get(i).shown));
            }
        }
        return best;
    }

    /**
     * A hit as shown: a chunk that lies in one definition is shown as that definition (whole, up to
     * {@link #MAX_SHOWN_LINES} lines; a piece of a longer one stays the piece, named by it); a chunk
     * over several keeps its lines and is named by the one whose name shares most with the query.
     */
    private static SearchHit landed(SearchHit hit, List<Symbol> leaves, Set<String> queryTerms, String path,
            List<String> lines) {
        if (hit.id().startsWith(DEFINITION_ID)) {
            return hit;
        }
        List<Symbol> over = leaves.stream()
                .filter(l -> l.startLine() <= hit.endLine() && hit.startLine() <= l.endLine()).toList();
        if (over.size() == 1) {
            return definition(over.get(0), hit, hit.repo(), path, hit.language(), lines);
        }
        Symbol named = null;
        long bestShared = -1;
        for (Symbol leaf : over) {
            long shared = ANALYZER.terms(leaf.name()).stream().filter(queryTerms::contains).count();
            if (shared > bestShared) {
                named = leaf;
                bestShared = shared;
            }
        }
        if (named == null) {
            return hit;
        }
        return new SearchHit(hit.id(), path, hit.startLine(), hit.endLine(), hit.language(), hit.text(), hit.score(),
                named.name(), named.kind(), container(named), hit.repo());
    }


    /** A definition shown whole, or as the piece {@code piece} of it when it is long; named by it. */
    private static SearchHit definition(Symbol s, SearchHit piece, String repo, String path, String language,
            List<String> lines) {
        int start = s.startLine();
        int end = Math.min(s.endLine(), lines.size());
        if (end - start + 1 > MAX_SHOWN_LINES && piece != null) {
            start = piece.startLine();
            end = piece.endLine();
        } else if (end - start + 1 > MAX_SHOWN_LINES) {
            end = start + MAX_SHOWN_LINES - 1;
        }
        // The definition's id, whichever chunk led to it: a page after this one knows it was shown.
        String id = DEFINITION_ID + (repo.isEmpty() ? "" : repo + "|") + path + ":" + s.startLine() + ":" + s.name();
        float score = piece != null ? piece.score() : 0f;
        return new SearchHit(id, path, start, end, language, text(lines, start, end), score, s.name(), s.kind(),
                container(s), repo);
    }

    private static double share(double value, double top) {
        return top > 0 ? value / top : 0;
    }

    private static String container(Symbol s) {
        return s.containers().isEmpty() ? "" : s.containers().get(s.containers().size() - 1);
    }

    private void scoreText(Set<String> queryTerms, List<Unit> units) {
        if (queryTerms.isEmpty() || units.isEmpty()) {
            return;
        }
        List<Map<String, Integer>> counts = new ArrayList<>(units.size());
        Map<String, Integer> holding = new HashMap<>();
        long totalLength = 0;
        for (Unit unit : units) {
            Map<String, Integer> tf = new HashMap<>();
            List<String> terms = ANALYZER.terms(unit.shown.text());
            totalLength += terms.size();
            for (String t : terms) {
                if (queryTerms.contains(t)) {
                    tf.merge(t, 1, Integer::sum);
                }
            }
            for (String t : unit.nameTerms) {
                if (queryTerms.contains(t)) {
                    tf.merge(t, nameWeight, Integer::sum);
                }
            }
            tf.put("", terms.size()); // the unit's length
            tf.keySet().stream().filter(t -> !t.isEmpty()).forEach(t -> holding.merge(t, 1, Integer::sum));
            counts.add(tf);
        }
        double averageLength = Math.max(1, (double) totalLength / units.size());
        int n = units.size();
        for (int i = 0; i < n; i++) {
            Map<String, Integer> tf = counts.get(i);
            double length = tf.get("");
            double score = 0;
            for (Map.Entry<String, Integer> e : tf.entrySet()) {
                if (e.getKey().isEmpty()) {
                    continue;
                }
                int df = holding.get(e.getKey());
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                double f = e.getValue();
                score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / averageLength));
            }
            units.get(i).lexical = score;
        }
    }

    /** The callables that hold no other callable: where a hit lands. */
    static List<Symbol> leaves(List<Symbol> symbols) {
        // By start, the longer first: whatever a callable holds comes right after it.
        List<Symbol> callables = symbols.stream().filter(s -> CALLABLE.contains(s.kind()))
                .sorted(Comparator.comparingInt(Symbol::startLine).thenComparing(s -> -s.endLine())).toList();
        List<Symbol> leaves = new ArrayList<>();
        for (int i = 0; i < callables.size(); i++) {
            Symbol s = callables.get(i);
            boolean holdsOne = false;
            for (int j = i + 1; j < callables.size() && callables.get(j).startLine() <= s.endLine(); j++) {
                Symbol other = callables.get(j);
                if (other.startLine() != s.startLine() || other.endLine() != s.endLine()) {
                    holdsOne = true; // definitions nest: one that starts inside ends inside
                    break;
                }
            }
            if (!holdsOne) {
                leaves.add(s);
            }
        }
        return leaves;
    }

    private static String text(List<String> lines, int start, int end) {
        int from = Math.max(0, start - 1);
        int to = Math.min(lines.size(), end);
        return from >= to ? "" : String.join("\n", lines.subList(from, to));
    }
}
