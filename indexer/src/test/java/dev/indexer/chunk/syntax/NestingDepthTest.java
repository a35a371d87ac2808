package dev.indexer.chunk.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.indexer.chunk.Language;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How deeply nested a file may be before it is cut into line windows is a number, not the thread's
 * stack: the same file must be chunked the same way whatever the stack holds (a JVM whose frames
 * are larger, as with C1 alone, used to send a file to line windows that others cut by its syntax).
 */
class NestingDepthTest {
    private static final SyntaxLanguage JAVA = SyntaxLanguage.of(Language.of("Deep.java")).orElseThrow();
    private static final int BUDGET = 120;

    @Test
    void aFileNestedPastTheLimitGoesToLineWindowsEvenWithStackToSpare() throws InterruptedException {
        List<String> lines = nestedParentheses(SyntaxChunker.MAX_DEPTH + 100);
        // 64 MB: the walk would finish on this stack; before the limit, it did, and cut the file by its syntax.
        SyntaxChunker.Plan plan = onStack(64L << 20, () -> SyntaxChunker.plan(JAVA, lines, ones(lines), BUDGET));
        SyntaxChunker.Unusable unusable = assertInstanceOf(SyntaxChunker.Unusable.class, plan);
        assertEquals("nested too deeply to walk", unusable.reason());
        assertEquals(List.of("Deep", "x"), unusable.symbols().stream().map(s -> s.name()).toList());
        assertEquals(plan, onStack(256L << 10, () -> SyntaxChunker.plan(JAVA, lines, ones(lines), BUDGET)));
    }

    @Test
    void aFileInLineWindowsStillHasItsDefinitionsForNavigation() throws InterruptedException {
        List<String> lines = new ArrayList<>(List.of("package p;", "class Tables {", "    static int size() {",
                "        return 1;", "    }", "    static final int[] ROWS = {"));
        List<String> deep = nestedParentheses(SyntaxChunker.MAX_DEPTH + 100);
        lines.addAll(deep.subList(2, deep.size() - 2)); // (((...1...))) as the field's one value
        lines.addAll(List.of("    };", "    void after() {}", "}"));
        SyntaxChunker.Unusable unusable = assertInstanceOf(SyntaxChunker.Unusable.class,
                onStack(64L << 20, () -> SyntaxChunker.plan(JAVA, lines, ones(lines), BUDGET)));
        assertEquals("nested too deeply to walk", unusable.reason());
        assertEquals(List.of("class p.Tables 2-" + lines.size(), "method p.Tables.size 3-5",
                "constant p.Tables.ROWS 6-" + (lines.size() - 2), "method p.Tables.after " + (lines.size() - 1) + "-"
                        + (lines.size() - 1)),
                unusable.symbols().stream().map(s -> s.kind() + " " + s.qualifiedName() + " " + s.startLine() + "-"
                        + s.endLine()).toList());

        // A line too long for a chunk sends the file to line windows before any walk: its definitions stay too.
        List<String> longLine = List.of("class Big {", "    String s = \"" + "x ".repeat(400) + "\";", "    void m() {}", "}");
        int[] tokens = ones(longLine);
        tokens[1] = 800;
        SyntaxChunker.Unusable tooLong = assertInstanceOf(SyntaxChunker.Unusable.class,
                SyntaxChunker.plan(JAVA, longLine, tokens, BUDGET));
        assertEquals("line 2 alone is over 120 tokens", tooLong.reason());
        assertEquals(List.of("Big", "s", "m"), tooLong.symbols().stream().map(s -> s.name()).toList());
    }

    @Test
    void aFileNestedWithinTheLimitIsCutByItsSyntaxOnTheWrappersStack() throws InterruptedException {
        List<String> lines = nestedParentheses(SyntaxChunker.MAX_DEPTH - 100);
        // The wrapper's -Xss512k, on a fresh thread whose walk has not been compiled yet.
        SyntaxChunker.Plan small = onStack(512L << 10, () -> SyntaxChunker.plan(JAVA, lines, ones(lines), BUDGET));
        SyntaxChunker.Planned planned = assertInstanceOf(SyntaxChunker.Planned.class, small);
        SyntaxChunker.Planned large = assertInstanceOf(SyntaxChunker.Planned.class,
                onStack(64L << 20, () -> SyntaxChunker.plan(JAVA, lines, ones(lines), BUDGET)));
        assertEquals(large.pieces(), planned.pieces());
    }

    /** A class whose one field is initialised with {@code depth} parentheses, one per line. */
    private static List<String> nestedParentheses(int depth) {
        List<String> lines = new ArrayList<>();
        lines.add("class Deep {");
        lines.add("    int x =");
        for (int i = 0; i < depth; i++) {
            lines.add("(");
        }
        lines.add("1");
        for (int i = 0; i < depth; i++) {
            lines.add(")");
        }
        lines.add("    ;");
        lines.add("}");
        return lines;
    }

    private static int[] ones(List<String> lines) {
        int[] tokens = new int[lines.size()];
        Arrays.fill(tokens, 1);
        return tokens;
    }

    private static <T> T onStack(long bytes, Supplier<T> work) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "nesting-depth-test", bytes);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }
}
