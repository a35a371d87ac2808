package dev.indexer.chunk.syntax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.treesitter.TSNode;

/**
 * Finds functions and the documentation written for them: the comment right above a function
 * (Javadoc, JSDoc, Go and Rust doc comments...) or, in Python, the docstring that opens its body.
 * This is what a CodeSearchNet-style evaluation pairs: the documentation as the query, the
 * function as the answer.
 */
final class DocComments {
    private DocComments() {}

    /** See {@link SyntaxLanguage#documented}. */
    static List<SyntaxLanguage.Documented> find(SyntaxLanguage language, List<String> lines) {
        List<SyntaxLanguage.Documented> out = new ArrayList<>();
        Optional<SourceTree> parsed = SourceTree.parse(language, lines);
        if (parsed.isPresent()) {
            try (SourceTree tree = parsed.get()) {
                visit(tree.root(), language, lines, tree, out, 0);
            }
        }
        return out;
    }

    /** See {@link SyntaxLanguage#withoutComments}. */
    static List<String> withoutComments(SyntaxLanguage language, List<String> lines) {
        Optional<SourceTree> parsed = SourceTree.parse(language, lines);
        if (parsed.isEmpty()) {
            return lines;
        }
        byte[] source = String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (SourceTree tree = parsed.get()) {
            blank(tree.root(), language, source, 0);
        }
        return Arrays.stream(new String(source, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1))
                .map(line -> line.isBlank() ? "" : line.stripTrailing()).toList();
    }

    private static void blank(TSNode node, SyntaxLanguage language, byte[] source, int depth) {
        if (depth > 500) {
            return;
        }
        if (node.getType().contains("comment") || (language == SyntaxLanguage.PYTHON && isDocstring(node))) {
            for (int b = Math.max(0, node.getStartByte()); b < Math.min(source.length, node.getEndByte()); b++) {
                if (source[b] != '\n') {
                    source[b] = ' ';
                }
            }
            return;
        }
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            blank(node.getNamedChild(i), language, source, depth + 1);
        }
    }

    /** A string that is a statement of its own at the start of a module, class or function body. */
    private static boolean isDocstring(TSNode node) {
        if (!isString(node) || node.getNamedChildCount() != 1) {
            return false;
        }
        TSNode parent = node.getParent();
        if (parent == null || parent.isNull()) {
            return false;
        }
        // The first statement of its block (or of the module).
        return parent.getNamedChildCount() > 0 && parent.getNamedChild(0).equals(node)
                && (parent.getType().equals("module") || parent.getType().equals("block"));
    }

    private static void visit(TSNode node, SyntaxLanguage language, List<String> lines, SourceTree tree,
            List<SyntaxLanguage.Documented> out, int depth) {
        if (depth > 200) {
            return;
        }
        if (language.isFunction(node.getType())) {
            documented(node, language, lines, tree).ifPresent(out::add);
        }
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            visit(node.getNamedChild(i), language, lines, tree, out, depth + 1);
        }
    }

    private static java.util.Optional<SyntaxLanguage.Documented> documented(TSNode fn, SyntaxLanguage language, List<String> lines,
            SourceTree tree) {
        String name = tree.text(fn.getChildByFieldName("name"));
        if (name.isEmpty()) {
            return java.util.Optional.empty();
        }
        int first = fn.getStartPoint().getRow();
        int last = fn.getEndPoint().getRow();
        if (language == SyntaxLanguage.PYTHON) {
            TSNode body = fn.getChildByFieldName("body");
            if (body == null || body.isNull() || body.getNamedChildCount() == 0) {
                return java.util.Optional.empty();
            }
            TSNode statement = body.getNamedChild(0);
            if (!isString(statement)) {
                return java.util.Optional.empty();
            }
            int docFirst = statement.getStartPoint().getRow();
            int docLast = statement.getEndPoint().getRow();
            return java.util.Optional.of(new SyntaxLanguage.Documented(name, docFirst + 1, docLast + 1, first + 1, last + 1,
                    clean(tree.text(statement))));
        }
        // The comments right above the function (or above its decorators/annotations' wrapper).
        TSNode anchor = fn;
        TSNode parent = fn.getParent();
        if (parent != null && !parent.isNull() && (parent.getType().equals("export_statement")
                || parent.getType().equals("decorated_definition"))) {
            anchor = parent;
        }
        int docFirst = -1;
        int docLast = -1;
        int expected = anchor.getStartPoint().getRow() - 1;
        for (TSNode prev = anchor.getPrevNamedSibling(); prev != null && !prev.isNull()
                && prev.getType().contains("comment") && prev.getEndPoint().getRow() == expected;
                prev = prev.getPrevNamedSibling()) {
            docFirst = prev.getStartPoint().getRow();
            if (docLast < 0) {
                docLast = prev.getEndPoint().getRow();
            }
            expected = docFirst - 1;
        }
        if (docFirst < 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SyntaxLanguage.Documented(name, docFirst + 1, docLast + 1, first + 1, last + 1,
                clean(String.join("\n", lines.subList(docFirst, docLast + 1)))));
    }

    /** A statement that is a string expression: a docstring where it opens a body. */
    private static boolean isString(TSNode statement) {
        return statement.getType().equals("expression_statement") && statement.getNamedChildCount() > 0
                && statement.getNamedChild(0).getType().equals("string");
    }

    /** Comment text without its markers: slash-star, stars, slashes, hashes and quotes. */
    static String clean(String comment) {
        return Arrays.stream(comment.split("\n")).map(line -> line.strip()
                        .replaceFirst("^(/\\*\\*|/\\*!|/\\*|\\*/|\\*|///|//!|//|#|\"\"\"|'''|r\"\"\")", "").strip()
                        .replaceFirst("(\\*/|\"\"\"|''')$", "").strip())
                .collect(Collectors.joining("\n")).strip();
    }
}
