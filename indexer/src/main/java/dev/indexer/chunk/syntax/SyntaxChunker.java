package dev.indexer.chunk.syntax;

import dev.indexer.chunk.Symbol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.treesitter.TSNode;

/**
 * Plans the chunks of one source file from its syntax tree.
 *
 * <p>A node that fits the token budget becomes one unit, whole: a function is never cut when it
 * fits. A node that does not fit is split into its children, recursively; lines between children
 * (comments, annotations, a class's opening line) go with the child after them, lines after the
 * last child (closing braces) with the one before. A node with no children that still does not
 * fit, an oversized function body for instance, is cut between lines into pieces of about equal
 * size. Then neighbours are packed: a unit joins the previous chunk if both fit together, so
 * chunks hold whole definitions, as many as fit: fields, getters and overloads travel together.
 * A definition that had to be cut starts a chunk of its own (only the lines of the scopes around
 * it, a package line or a class's opening line, may come first), and its pieces are packed to
 * about equal sizes, so a hit on one of them shows that definition and not the end of another.
 * Packing was measured against one definition per chunk on Commons Lang and Guava ({@code
 * scripts/evaluate}): MRR@10 of hybrid search rose from 0.379 to 0.414 and from 0.370 to 0.388;
 * starting cut definitions on their own chunk and cutting them evenly, on the tuning half of the
 * multi-language evaluation: 0.680 to 0.690 (docs/benchmarks.md). Units are lines, so chunks
 * start and end at line boundaries, like the line chunker's.
 *
 * <p>The whole file is in memory while it is parsed; the caller only sends files below a size
 * cap, and falls back to line windows when this returns nothing (no grammar, too many syntax
 * errors, a line over the budget).
 */
public final class SyntaxChunker {
    /** Files whose syntax errors cover more of their lines than this are cut into line windows instead. */
    private static final double MAX_ERROR_SHARE = 0.10;
    /**
     * Syntax nodes deeper than this send the file to line windows: far deeper than written code
     * nests (generated tables and long chains of {@code +} do), and shallow enough for a 512 KB
     * thread stack even where the walk's methods are not compiled yet.
     */
    static final int MAX_DEPTH = 500;

    private final SyntaxLanguage language;
    private final List<String> lines;
    private final long[] prefixTokens;
    private final int budget;
    private final boolean splitDefinitions;
    private final int packTokens;
    private Definitions definitions;
    private int cursor;
    private final List<Unit> units = new ArrayList<>();

    /**
     * One planned chunk.
     *
     * @param firstLine first line, 1-based
     * @param lastLine last line, inclusive
     * @param tokens tokens of its lines
     * @param symbol the definition it holds or is part of; empty if none
     * @param kind what the symbol is; empty if none
     * @param container the type around the symbol; empty if none
     * @param context signatures of the definitions around the chunk that it does not hold whole, outermost first
     */
    public record Piece(int firstLine, int lastLine, int tokens, String symbol, String kind, String container,
            List<String> context) {}

    /** A run of lines (0-based rows) that is kept together. */
    private record Unit(int first, int last, int tokens, Definition self, List<Definition> enclosing, boolean leading) {}

    private SyntaxChunker(SyntaxLanguage language, List<String> lines, int[] lineTokens, int budget,
            boolean splitDefinitions, int packTokens) {
        this.language = language;
        this.lines = lines;
        this.budget = budget;
        this.splitDefinitions = splitDefinitions;
        this.packTokens = Math.min(budget, packTokens);
        this.prefixTokens = new long[lineTokens.length + 1];
        for (int i = 0; i < lineTokens.length; i++) {
            prefixTokens[i + 1] = prefixTokens[i] + lineTokens[i];
        }
    }

    /** What planning a file came to: its pieces, or why it should be cut into line windows instead. */
    public sealed interface Plan permits Planned, Unusable {}

    /** The file's chunks, and every definition in it (for navigation). */
    public record Planned(List<Piece> pieces, List<Symbol> symbols) implements Plan {}

    /**
     * The syntax tree is no help for chunking this file; {@code reason} says why, for the run
     * report. {@code symbols} are the definitions that could still be read from it for navigation
     * (a file too deeply nested to cut by its syntax, or with one line too long for a chunk, still
     * has a class and methods to find); none where the tree itself is in doubt.
     */
    public record Unusable(String reason, List<Symbol> symbols) implements Plan {
        public Unusable {
            symbols = List.copyOf(symbols);
        }

        public Unusable(String reason) {
            this(reason, List.of());
        }
    }

    /**
     * The chunks of a file, or why it should be cut into line windows.
     *
     * @param lines the file's lines, without terminators
     * @param lineTokens the tokens of each line
     * @param budget the most tokens of lines in one chunk
     */
    public static Plan plan(SyntaxLanguage language, List<String> lines, int[] lineTokens, int budget) {
        return plan(language, lines, lineTokens, budget, budget, false, Integer.MAX_VALUE);
    }

    /**
     * As {@link #plan(SyntaxLanguage, List, int[], int)}, cutting every node that holds two or more
     * functions into its members if {@code splitDefinitions}, and packing neighbours only while a
     * chunk stays within {@code packTokens}. A line over the budget but within {@code lineLimit}
     * is a chunk of its own (a long signature or string: the model still reads it whole); a
     * longer one makes the file unusable here.
     */
    public static Plan plan(SyntaxLanguage language, List<String> lines, int[] lineTokens, int budget,
            int lineLimit, boolean splitDefinitions, int packTokens) {
        for (int i = 0; i < lineTokens.length; i++) {
            if (lineTokens[i] > Math.max(budget, lineLimit)) {
                // a line must be cut inside: the line chunker knows how; the definitions around it are still there
                return new Unusable("line " + (i + 1) + " alone is over " + Math.max(budget, lineLimit) + " tokens",
                        language.symbols(lines));
            }
        }
        if (lines.isEmpty()) {
            return new Planned(List.of(), List.of());
        }
        try {
            return new SyntaxChunker(language, lines, lineTokens, budget, splitDefinitions, packTokens).plan();
        } catch (TooDeep | StackOverflowError e) {
            return new Unusable("nested too deeply to walk"); // generated code: line windows will do
        } catch (RuntimeException e) {
            // A parser failure is this file's problem, not the run's: its lines are still indexed.
            return new Unusable("the parser failed: " + e);
        }
    }

    private Plan plan() {
        Optional<SourceTree> parsed = SourceTree.parse(language, lines);
        if (parsed.isEmpty()) {
            return new Unusable("the " + language.name().toLowerCase(java.util.Locale.ROOT) + " grammar did not load");
        }
        try (SourceTree tree = parsed.get()) {
            this.definitions = new Definitions(language, tree, lines);
            TSNode root = tree.root();
            if (root.isNull()) {
                return new Unusable("the parser gave no tree");
            }
            int errors;
            try {
                errors = errorRows(root, 0);
            } catch (TooDeep e) {
                return new Unusable(e.getMessage()); // a tree not read to its end: its definitions are in doubt too
            }
            if (errors > MAX_ERROR_SHARE * lines.size()) {
                return new Unusable(String.format(java.util.Locale.ROOT, "syntax errors on %d%% of its lines",
                        Math.round(100.0 * Math.min(errors, lines.size()) / lines.size())));
            }
            List<Symbol> symbols = new FileSymbols(language, tree, lines, definitions).symbols();
            try {
                split(root, List.of(), 0);
            } catch (TooDeep | StackOverflowError e) {
                // Generated code nested in a body (a table, an expression): the definitions around
                // it were read above, by a walk that does not enter bodies and stops at its own depth.
                return new Unusable("nested too deeply to walk", symbols);
            }
            if (cursor < lines.size()) {
                lineUnits(cursor, lines.size() - 1, List.of());
            }
            return new Planned(merge(), symbols);
        }
    }

    private long tokens(int first, int last) {
        return prefixTokens[last + 1] - prefixTokens[first];
    }

    private static int startRow(TSNode node) {
        return node.getStartPoint().getRow();
    }

    /** The last row that holds part of the node (one ending at column 0 ended on the row before). */
    private int endRow(TSNode node) {
        int row = node.getEndPoint().getRow();
        if (node.getEndPoint().getColumn() == 0 && row > startRow(node)) {
            row--;
        }
        return Math.min(row, lines.size() - 1);
    }

    private void split(TSNode node, List<Definition> enclosing, int depth) {
        deeper(depth);
        int start = startRow(node);
        int end = endRow(node);
        if (end < cursor) {
            return;
        }
        Definition self = definitions.of(node, enclosing);
        long whole = tokens(cursor, end);
        if (whole <= budget && !(splitDefinitions && functionsWithin(node, 2, depth) >= 2)) {
            add(cursor, end, self != null ? self : onlyDefinitionIn(node, enclosing), enclosing);
            return;
        }
        if (start > cursor && tokens(start, end) <= budget && !(splitDefinitions && functionsWithin(node, 2, depth) >= 2)) {
            // The lines before it (its documentation, usually) are what does not fit: they go
            // alone, named after the node they precede, and the node stays whole.
            leadingUnits(cursor, start - 1, self, enclosing);
            add(start, end, self, enclosing);
            return;
        }
        // A wrapper (export, decorators) names the definition inside it, which will name itself.
        boolean wrapper = node.getType().equals("export_statement") || node.getType().equals("decorated_definition");
        List<Definition> inner = self == null || wrapper ? enclosing : append(enclosing, self);
        List<TSNode> children = IntStream.range(0, node.getNamedChildCount()).mapToObj(node::getNamedChild)
                .filter(child -> !child.getType().contains("comment")).toList();
        int from = units.size();
        if (children.isEmpty() || end == start) {
            lineUnits(cursor, end, inner);
        } else {
            for (TSNode child : children) {
                split(child, inner, depth + 1);
            }
            if (cursor <= end) {
                lineUnits(cursor, end, inner);
            }
        }
        if (self != null && !wrapper && units.size() > from) {
            // A definition cut into pieces starts a chunk: its documentation and signature do not
            // pack onto the end of the definition before it, where a hit would show the wrong one.
            Unit head = units.get(from);
            units.set(from, new Unit(head.first(), head.last(), head.tokens(), head.self(), head.enclosing(), true));
        }
    }

    /**
     * How many functions the node holds, counting none inside another function, up to {@code limit}:
     * a node with two or more is cut into its members when definitions are split.
     */
    private int functionsWithin(TSNode node, int limit, int depth) {
        deeper(depth);
        int found = 0;
        for (int i = 0; i < node.getNamedChildCount() && found < limit; i++) {
            TSNode child = node.getNamedChild(i);
            Definition d = definitions.of(child, List.of());
            if (d != null && !d.isType()) {
                found++;
            } else {
                found += functionsWithin(child, limit - found, depth + 1);
            }
        }
        return found;
    }

    /**
     * The one definition among a node's children, if there is exactly one: a whole file that
     * holds one class (beside its package line and imports) is that class's chunk.
     */
    private Definition onlyDefinitionIn(TSNode node, List<Definition> enclosing) {
        Definition only = null;
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            Definition d = definitions.of(node.getNamedChild(i), enclosing);
            if (d != null) {
                if (only != null) {
                    return null;
                }
                only = d;
            }
        }
        return only;
    }

    private void add(int first, int last, Definition self, List<Definition> enclosing) {
        units.add(new Unit(first, last, (int) tokens(first, last), self, enclosing, false));
        cursor = last + 1;
    }

    /** Lines that belong to the definition after them; they never join the chunk before. */
    private void leadingUnits(int first, int last, Definition next, List<Definition> enclosing) {
        int from = units.size();
        lineUnits(first, last, enclosing);
        for (int i = from; i < units.size(); i++) {
            Unit u = units.get(i);
            units.set(i, new Unit(u.first(), u.last(), u.tokens(), next, u.enclosing(), true));
        }
    }

    /**
     * Cuts rows {@code first..last} between lines into units that fit, as few as fit and of about
     * equal size: a function of 1.1 budgets becomes two halves, not a full chunk and a stub of its
     * last lines (a hit on the stub shows nothing), and each half leaves room for the class's
     * opening line or a small neighbour to pack with it.
     */
    private void lineUnits(int first, int last, List<Definition> enclosing) {
        int start = first;
        while (start <= last) {
            long rest = tokens(start, last);
            if (rest <= budget) {
                add(start, last, null, enclosing);
                return;
            }
            long pieces = (rest + budget - 1) / budget;
            long target = (rest + pieces - 1) / pieces;
            int end = start;
            while (end < last && tokens(start, end + 1) <= target) {
                end++;
            }
            // One more row, if that ends nearer the target and still fits.
            if (end < last && tokens(start, end + 1) <= budget
                    && tokens(start, end + 1) - target < target - tokens(start, end)) {
                end++;
            }
            add(start, end, null, enclosing);
            start = end + 1;
        }
    }

    private List<Piece> merge() {
        List<Piece> pieces = new ArrayList<>();
        List<Unit> group = new ArrayList<>();
        int groupTokens = 0;
        int runEnd = -1;
        long target = packTokens;
        for (int i = 0; i < units.size(); i++) {
            Unit unit = units.get(i);
            if (unit.leading() && i > runEnd) {
                // A definition that did not fit whole is packed into pieces of about equal size
                // (as few as fit), rather than full chunks and a stub of its last lines.
                runEnd = i;
                long total = unit.tokens();
                while (runEnd + 1 < units.size() && !units.get(runEnd + 1).leading()
                        && within(units.get(runEnd + 1), unit.enclosing())) {
                    total += units.get(++runEnd).tokens();
                }
                long count = (total + packTokens - 1) / packTokens;
                target = count > 1 ? (total + count - 1) / count : packTokens;
            } else if (i > runEnd) {
                target = packTokens;
            }
            long joined = groupTokens + unit.tokens();
            boolean joins = !group.isEmpty() && (!unit.leading() || structural(group, unit)) && joined <= packTokens
                    && joined - target <= unit.tokens() / 2;
            if (!group.isEmpty() && !joins) {
                pieces.add(piece(group, groupTokens));
                group = new ArrayList<>();
                groupTokens = 0;
            }
            group.add(unit);
            groupTokens += unit.tokens();
        }
        if (!group.isEmpty()) {
            pieces.add(piece(group, groupTokens));
        }
        pieces.removeIf(p -> isBlank(p.firstLine() - 1, p.lastLine() - 1));
        return pieces;
    }

    /**
     * Whether the group is only lines of a scope around the leading unit (a class's opening line,
     * a file's package line and imports): those may join the definition after them, rather than
     * be a chunk that says nothing. The end of another definition may not.
     */
    private static boolean structural(List<Unit> group, Unit leading) {
        List<Definition> scope = leading.enclosing();
        return group.stream().allMatch(unit -> unit.self() == null && unit.enclosing().size() <= scope.size()
                && scope.subList(0, unit.enclosing().size()).equals(unit.enclosing()));
    }

    /** Whether the unit lies inside {@code scope}: its enclosing definitions start with those. */
    private static boolean within(Unit unit, List<Definition> scope) {
        return unit.enclosing().size() >= scope.size() && unit.enclosing().subList(0, scope.size()).equals(scope);
    }

    private boolean isBlank(int first, int last) {
        return lines.subList(first, last + 1).stream().allMatch(String::isBlank);
    }

    private Piece piece(List<Unit> group, int tokens) {
        Comparator<Unit> bySize = Comparator.comparingInt(Unit::tokens);
        Unit main = group.stream().filter(u -> u.self() != null).max(bySize).orElse(null);
        // Without a whole definition, the chunk is a piece of what its biggest run of lines is in
        // (a class's opening line packed with the first half of a long method: the method).
        Unit biggest = group.stream().max(bySize).orElseThrow();
        Definition symbol;
        List<Definition> around;
        if (main != null) {
            symbol = main.self();
            around = main.enclosing();
        } else {
            List<Definition> enclosing = biggest.enclosing();
            symbol = enclosing.isEmpty() ? null : enclosing.get(enclosing.size() - 1);
            around = enclosing.isEmpty() ? List.of() : enclosing.subList(0, enclosing.size() - 1);
        }
        String container = around.stream().filter(Definition::isType).map(Definition::name).reduce("", (a, b) -> b);
        List<String> context = (main != null ? main : biggest).enclosing().stream().map(Definition::signature).toList();
        return new Piece(group.get(0).first() + 1, group.get(group.size() - 1).last() + 1, tokens,
                symbol == null ? "" : symbol.name(), symbol == null ? "" : symbol.kind(), container, context);
    }

    /**
     * Stops a walk that has gone {@link #MAX_DEPTH} nodes deep. The limit is a number rather than
     * the thread's stack running out, because how deep a stack reaches depends on the JVM: with
     * compiled frames of another size (C1 alone, another JDK, a method not yet compiled) the same
     * file was cut into line windows in one run and by its syntax in another (docs/benchmarks.md,
     * "Eleventh round"), and a collection's chunks must not depend on that.
     */
    private static void deeper(int depth) {
        if (depth > MAX_DEPTH) {
            throw new TooDeep();
        }
    }

    /** A walk past {@link #MAX_DEPTH}: the file goes to line windows. */
    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super("nested too deeply to walk", null, false, false);
        }
    }

    private static List<Definition> append(List<Definition> list, Definition d) {
        return Stream.concat(list.stream(), Stream.of(d)).toList();
    }

    /** Rows covered by syntax errors: parse errors and tokens the parser had to invent. */
    private static int errorRows(TSNode node, int depth) {
        deeper(depth);
        if (!node.hasError()) {
            return 0;
        }
        if (node.isError() || node.isMissing()) {
            return node.getEndPoint().getRow() - node.getStartPoint().getRow() + 1;
        }
        int rows = 0;
        for (int i = 0; i < node.getChildCount(); i++) {
            rows += errorRows(node.getChild(i), depth + 1);
        }
        return rows;
    }
}
