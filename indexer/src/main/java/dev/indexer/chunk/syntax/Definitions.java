package dev.indexer.chunk.syntax;

import dev.indexer.chunk.Symbol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.treesitter.TSNode;

/**
 * Reads what a node of a parsed file defines: its kind, name and signature, for the chunker and
 * for {@link FileSymbols}, which reads every definition of the file.
 */
final class Definitions {
    private static final int MAX_SIGNATURE_CHARS = 120;
    /** The most of a declaration's source read for its signature, whitespace included. */
    private static final int MAX_SIGNATURE_BYTES = 4096;
    /** What may open a definition and says little of what it does (the grammars' node types). */
    private static final Set<String> PREAMBLE = Set.of("modifiers", "decorator", "attribute_item",
            "visibility_modifier", "accessibility_modifier", "comment", "line_comment", "block_comment");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final SyntaxLanguage language;
    private final SourceTree tree;
    private final List<String> lines;
    private final Map<NodeKey, Named> read = new HashMap<>();

    Definitions(SyntaxLanguage language, SourceTree tree, List<String> lines) {
        this.language = language;
        this.tree = tree;
        this.lines = lines;
    }

    /** The definition {@code node} is, inside {@code enclosing}; null if it is none. */
    Definition of(TSNode node, List<Definition> enclosing) {
        return of(node, node.getType(), enclosing);
    }

    /** As {@link #of(TSNode, List)}, for a node whose type the caller read already. */
    Definition of(TSNode node, String nodeType, List<Definition> enclosing) {
        TSNode target = node;
        String type = nodeType;
        if (type.equals("decorated_definition") || type.equals("export_statement")) {
            TSNode inner = node.getChildByFieldName(type.equals("export_statement") ? "declaration" : "definition");
            if (inner == null || inner.isNull()) {
                return null;
            }
            target = inner;
            type = inner.getType();
        }
        boolean insideType = enclosing.stream().anyMatch(Definition::isType);
        if (language.isFunction(type)) {
            Named named = named(target, type);
            String kind = type.contains("constructor") ? "constructor"
                    : insideType || type.equals("method_declaration") || type.startsWith("method")
                            || type.equals("abstract_method_signature") ? "method" : "function";
            return named.name().isEmpty() ? null : new Definition(kind, named.name(), named.signature(), false);
        }
        if (language.isType(type)) {
            Named named = named(target, type);
            return named.name().isEmpty() ? null : new Definition(typeKind(type), named.name(), named.signature(), true);
        }
        if ((type.equals("lexical_declaration") || type.equals("variable_declaration"))
                && target.getNamedChildCount() == 1) {
            // const add = (a, b) => a + b;  a function in all but syntax
            TSNode declarator = target.getNamedChild(0);
            TSNode value = declarator.getChildByFieldName("value");
            if (value != null && !value.isNull() && (value.getType().equals("arrow_function")
                    || value.getType().equals("function_expression") || value.getType().equals("function"))) {
                String name = text(declarator.getChildByFieldName("name"));
                return name.isEmpty() ? null : new Definition("function", name, signature(target), false);
            }
        }
        return null;
    }

    /** Where a node is: what its name and signature are remembered by. */
    private record NodeKey(int start, int end, String type) {}

    private record Named(String name, String signature) {}

    /**
     * A definition's name and signature, read once per node: the chunker asks for the definitions
     * it cuts at, and reading every definition for navigation then costs only those it did not.
     */
    private Named named(TSNode node, String type) {
        NodeKey key = new NodeKey(node.getStartByte(), node.getEndByte(), type);
        Named named = read.get(key);
        if (named == null) {
            String name = name(node);
            named = new Named(name, name.isEmpty() ? "" : signature(node));
            read.put(key, named);
        }
        return named;
    }

    private static String typeKind(String type) {
        String base = type.replace("_declaration", "").replace("_definition", "").replace("_specifier", "")
                .replace("_item", "").replace("abstract_", "").replace("internal_", "");
        return switch (base) {
            case "type" -> "type";
            case "impl" -> "impl";
            case "mod" -> "module";
            case "annotation_type" -> "annotation";
            default -> base;
        };
    }

    String name(TSNode node) {
        String type = node.getType();
        if (type.equals("impl_item")) {
            String trait = text(node.getChildByFieldName("trait"));
            String self = text(node.getChildByFieldName("type"));
            return trait.isEmpty() ? self : trait + " for " + self;
        }
        if (type.equals("type_declaration")) {
            for (int i = 0; i < node.getNamedChildCount(); i++) {
                TSNode spec = node.getNamedChild(i);
                if (spec.getType().endsWith("type_spec") || spec.getType().equals("type_alias")) {
                    return text(spec.getChildByFieldName("name"));
                }
            }
            return "";
        }
        TSNode name = node.getChildByFieldName("name");
        if (name != null && !name.isNull()) {
            return text(name);
        }
        // C and C++: the name is inside the declarator: int *(*name)(int) ...
        TSNode declarator = node.getChildByFieldName("declarator");
        for (int depth = 0; declarator != null && !declarator.isNull() && depth < 16; depth++) {
            String t = declarator.getType();
            if (t.equals("identifier") || t.equals("field_identifier") || t.equals("qualified_identifier")
                    || t.equals("destructor_name") || t.equals("operator_name") || t.equals("type_identifier")) {
                return text(declarator);
            }
            TSNode next = declarator.getChildByFieldName("declarator");
            declarator = next == null || next.isNull()
                    ? (declarator.getNamedChildCount() > 0 ? declarator.getNamedChild(0) : null) : next;
        }
        return "";
    }

    String text(TSNode node) {
        return tree.text(node);
    }

    /**
     * The definition's declaration as a header line: what follows its modifiers, annotations and
     * decorators, up to its body, on one line without a trailing brace or colon, shortened if long.
     * The first line as written was often an annotation ({@code @SuppressWarnings("unchecked")}) or
     * the start of a parameter list, and modifiers are tokens every chunk pays for and no query asks.
     */
    String signature(TSNode node) {
        TSNode first = node;
        for (int i = 0; i < node.getChildCount() && PREAMBLE.contains(node.getChild(i).getType()); i++) {
            first = i + 1 < node.getChildCount() ? node.getChild(i + 1) : node;
        }
        // The declaration ends with the last part before the body that is not a comment (Python's
        // colon can be followed by a comment before the first statement).
        TSNode body = node.getChildByFieldName("body");
        boolean hasBody = body != null && !body.isNull();
        TSNode last = null;
        for (int i = 0; hasBody && i < node.getChildCount() && node.getChild(i).getStartByte() < body.getStartByte();
                i++) {
            last = node.getChild(i).getType().contains("comment") ? last : node.getChild(i);
        }
        String text;
        if (last != null && last.getEndByte() > first.getStartByte()) {
            // A declaration can be thousands of lines (a default argument that is a whole object
            // literal): only what can reach the header is read, and a cut one says so.
            int end = Math.min(last.getEndByte(), first.getStartByte() + MAX_SIGNATURE_BYTES);
            text = WHITESPACE.matcher(tree.text(first.getStartByte(), end)).replaceAll(" ").strip();
            if (end < last.getEndByte()) {
                text = text.replace("\uFFFD", "").strip() + "...";
            }
        } else { // no body (an abstract method, a Go type): its first line
            int row = first.getStartPoint().getRow();
            text = lines.get(row).substring(Math.min(lines.get(row).length(), columnChars(row, first))).strip();
        }
        if (text.endsWith("{") || text.endsWith(":")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text.length() > MAX_SIGNATURE_CHARS ? text.substring(0, MAX_SIGNATURE_CHARS - 3) + "..." : text;
    }

    /** The node's start column in characters (tree-sitter counts UTF-8 bytes). */
    private int columnChars(int row, TSNode node) {
        int bytes = node.getStartPoint().getColumn();
        String line = lines.get(row);
        int chars = 0;
        int seen = 0;
        while (chars < line.length() && seen < bytes) {
            int cp = line.codePointAt(chars);
            seen += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            chars += Character.charCount(cp);
        }
        return chars;
    }

    /**
     * What has no body says all of itself: its own text on one line, shortened, without a closing
     * semicolon ({@code int a, b}; {@code double area() const = 0}).
     */
    String ownText(TSNode node) {
        int end = Math.min(node.getEndByte(), node.getStartByte() + MAX_SIGNATURE_BYTES);
        String text = WHITESPACE.matcher(tree.text(node.getStartByte(), end)).replaceAll(" ").strip();
        while (text.endsWith(";") || text.endsWith(",") || text.endsWith("{")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text.length() > MAX_SIGNATURE_CHARS ? text.substring(0, MAX_SIGNATURE_CHARS - 3) + "..." : text;
    }
}
