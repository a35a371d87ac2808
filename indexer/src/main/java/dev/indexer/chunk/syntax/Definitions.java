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
 * Reads definitions out of a parsed file: what a node defines (its kind, name and signature) for
 * the chunker, and every definition of the file, nested, for navigation ({@link #symbols()}).
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

    private Definition of(TSNode node, String nodeType, List<Definition> enclosing) {
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


    // ---- every definition of the file, for navigation

    /** Nodes deeper than this are not searched for definitions (generated code nests deeper). */
    private static final int MAX_DEPTH = 200;
    /**
     * What is entered, besides definitions and their bodies, to look for definitions: statements
     * and expressions that hold them at a file's top level (a JavaScript class or object assigned
     * to a name, an immediately called function, a TypeScript namespace, a Python def under an
     * if, a C++ template). Nothing else is: every node entered costs several native calls, and
     * entering all of them made reading definitions cost as much as parsing.
     */
    private static final Set<String> MAY_HOLD_DEFINITIONS = Set.of("expression_statement", "lexical_declaration",
            "variable_declaration", "variable_declarator", "assignment_expression", "object", "pair",
            "call_expression", "arguments", "parenthesized_expression", "function_expression", "function",
            "arrow_function", "statement_block", "class", "object_creation_expression", "if_statement", "else_clause",
            "try_statement", "except_clause", "finally_clause", "with_statement", "block", "internal_module", "module",
            "ambient_declaration", "template_declaration", "namespace_definition");

    /** Every definition of the file, in the order they start, each with the names around it. */
    List<Symbol> symbols() {
        List<Symbol> out = new ArrayList<>();
        TSNode root = tree.root();
        String pkg = packageOf(root);
        visit(root, root.getType(), null, new Scope(List.of(), pkg.isEmpty() ? List.of() : List.of(pkg), false, true, false), out, 0);
        return out;
    }

    /**
     * Where a node sits: the names of the definitions around it, the names that qualify what it
     * defines, whether it is inside a function (whose locals are no definitions) and at a file's or
     * type's top level (where fields and constants are).
     */
    private record Scope(List<String> containers, List<String> qualifiers, boolean inFunction, boolean topLevel,
            boolean typeBody) {
        Scope into(String container, String qualifier, boolean function) {
            return new Scope(append(containers, container), qualifier.isEmpty() ? qualifiers : append(qualifiers, qualifier),
                    inFunction || function, !function, !function);
        }

        Scope nested() {
            return new Scope(containers, qualifiers, inFunction, false, false);
        }

        private static List<String> append(List<String> list, String item) {
            List<String> out = new ArrayList<>(list);
            out.add(item);
            return out;
        }
    }

    /**
     * Records the definitions in {@code node} (whose parent is {@code parent}, null for the root).
     * A function's body is not entered: its locals are no definitions, and most of a file's nodes
     * are there (walking them too made reading a file's definitions cost four times its parse).
     * Parents are passed down, not asked for: tree-sitter finds a node's parent from the root.
     */
    private void visit(TSNode node, String type, String parentType, Scope scope, List<Symbol> out, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        boolean wrapper = type.equals("decorated_definition") || type.equals("export_statement");
        Definition self = wrapper || type.equals("type_declaration") || language.isType(type) && isReference(node)
                ? null : of(node, type, List.of());
        if (self == null) {
            members(node, type, scope, out);
            boolean body = parentType == null || wrapper || isBody(type, parentType);
            if (body || MAY_HOLD_DEFINITIONS.contains(type)) {
                children(node, type, body ? scope : scope.nested(), out, depth);
            }
            return;
        }
        boolean function = !self.isType();
        String kind = function && self.kind().equals("function") && scope.typeBody() ? "method" : self.kind();
        String name = self.name();
        List<String> qualifiers = scope.qualifiers();
        List<String> containers = scope.containers();
        if (function && name.contains("::")) { // C++: void Shape::area() {...}
            List<String> parts = List.of(name.split("::"));
            name = parts.get(parts.size() - 1);
            qualifiers = concat(qualifiers, parts.subList(0, parts.size() - 1));
            containers = concat(containers, parts.subList(0, parts.size() - 1));
            kind = "method";
        }
        String receiver = receiverType(node);
        if (!receiver.isEmpty()) { // Go: func (m *Map) Get(...)
            qualifiers = concat(qualifiers, List.of(receiver));
            containers = concat(containers, List.of(receiver));
        }
        if (kind.equals("method") && (language == SyntaxLanguage.CPP) && !containers.isEmpty()
                && containers.get(containers.size() - 1).equals(name)) {
            kind = "constructor";
        }
        TSNode body = node.getChildByFieldName("body");
        add(out, node, name, kind, qualifiers, containers, body == null || body.isNull() ? ownText(node) : self.signature());
        if (function) {
            return; // its locals are no definitions
        }
        // A Rust impl qualifies its members by the type it is for.
        String qualifier = type.equals("impl_item") ? stripGenerics(text(node.getChildByFieldName("type"))) : name;
        Scope inner = new Scope(containers, qualifiers, scope.inFunction(), true, false).into(name, qualifier, false);
        children(node, type, inner, out, depth);
    }

    private void children(TSNode node, String type, Scope scope, List<Symbol> out, int depth) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            TSNode child = node.getNamedChild(i);
            String childType = child.getType();
            if (!childType.contains("comment")) {
                visit(child, childType, type, scope, out, depth + 1);
            }
        }
    }

    /** A C or C++ {@code struct name} used as a type ({@code struct point p;}), not defined: it has no body. */
    private boolean isReference(TSNode node) {
        if (language != SyntaxLanguage.C && language != SyntaxLanguage.CPP) {
            return false;
        }
        TSNode body = node.getChildByFieldName("body");
        return body == null || body.isNull();
    }

    /** Whether a node only holds its parent definition's members (a Python class's body is a plain block). */
    private static boolean isBody(String type, String parentType) {
        return type.endsWith("_body") || type.equals("declaration_list") || type.equals("field_declaration_list")
                || type.equals("enum_body_declarations") || type.equals("enum_variant_list")
                || type.equals("enumerator_list") || type.equals("object_type") || type.equals("linkage_specification")
                || type.startsWith("preproc_if") || type.equals("preproc_else") || type.equals("type_declaration")
                || type.equals("const_declaration") || type.equals("var_declaration")
                || type.equals("block") && parentType.equals("class_definition");
    }

    /**
     * Definitions that are not functions or types: fields and constants of a type, constants and
     * variables at a file's top level, type aliases, enum constants, macros.
     */
    private void members(TSNode node, String type, Scope scope, List<Symbol> out) {
        boolean top = scope.topLevel();
        switch (language) {
            case JAVA -> {
                if ((type.equals("field_declaration") || type.equals("constant_declaration")) && top) {
                    declarators(node, type.equals("constant_declaration") || isStaticFinal(node) ? "constant" : "field",
                            scope, out);
                } else if (type.equals("enum_constant")) {
                    named(node, "name", "constant", scope, out);
                }
            }
            case PYTHON -> {
                if (type.equals("expression_statement") && top && node.getNamedChildCount() == 1
                        && node.getNamedChild(0).getType().equals("assignment")) {
                    TSNode left = node.getNamedChild(0).getChildByFieldName("left");
                    if (left != null && !left.isNull() && left.getType().equals("identifier")) {
                        String name = text(left);
                        add(out, node, name, scope.containers().isEmpty() ? constantOrVariable(name) : "field",
                                scope.qualifiers(), scope.containers(), ownText(node));
                    }
                }
            }
            case JAVASCRIPT, TYPESCRIPT -> {
                if ((type.equals("lexical_declaration") || type.equals("variable_declaration")) && top
                        && of(node, List.of()) == null) {
                    String kind = text(node).startsWith("const") ? "constant" : "variable";
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode declarator = node.getNamedChild(i);
                        TSNode name = declarator.getChildByFieldName("name");
                        if (declarator.getType().equals("variable_declarator") && name != null && !name.isNull()
                                && name.getType().equals("identifier")) {
                            add(out, node, text(name), kind, scope.qualifiers(), scope.containers(), ownText(node));
                        }
                    }
                } else if ((type.equals("field_definition") || type.equals("public_field_definition")) && top) {
                    TSNode name = node.getChildByFieldName(type.equals("field_definition") ? "property" : "name");
                    if (name != null && !name.isNull()) {
                        add(out, node, text(name), "field", scope.qualifiers(), scope.containers(), ownText(node));
                    }
                } else if (type.equals("type_alias_declaration") && top) {
                    named(node, "name", "type", scope, out);
                } else if (type.equals("property_signature") && top) {
                    named(node, "name", "field", scope, out);
                }
            }
            case GO -> {
                if (type.equals("type_spec") || type.equals("type_alias")) {
                    TSNode body = node.getChildByFieldName("type");
                    String kind = body == null || body.isNull() ? "type" : switch (body.getType()) {
                        case "struct_type" -> "struct";
                        case "interface_type" -> "interface";
                        default -> "type";
                    };
                    TSNode name = node.getChildByFieldName("name");
                    if (name != null && !name.isNull()) {
                        String n = text(name);
                        add(out, node, n, kind, scope.qualifiers(), scope.containers(), ownText(node));
                        if (body != null && !body.isNull()) {
                            children(body, body.getType(), scope.into(n, n, false), out, 0);
                        }
                    }
                } else if ((type.equals("const_spec") || type.equals("var_spec")) && scope.containers().isEmpty()) {
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode child = node.getNamedChild(i);
                        if (child.getType().equals("identifier")) {
                            add(out, node, text(child), type.equals("const_spec") ? "constant" : "variable",
                                    scope.qualifiers(), scope.containers(), ownText(node));
                        }
                    }
                } else if (type.equals("field_declaration") && !scope.containers().isEmpty()) {
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode child = node.getNamedChild(i);
                        if (child.getType().equals("field_identifier")) {
                            add(out, node, text(child), "field", scope.qualifiers(), scope.containers(), ownText(node));
                        }
                    }
                } else if ((type.equals("method_spec") || type.equals("method_elem")) && !scope.containers().isEmpty()) {
                    named(node, "name", "method", scope, out);
                }
            }
            case RUST -> {
                if ((type.equals("const_item") || type.equals("static_item")) && top) {
                    named(node, "name", "constant", scope, out);
                } else if (type.equals("type_item") && top) {
                    named(node, "name", "type", scope, out);
                } else if (type.equals("field_declaration") && top) {
                    named(node, "name", "field", scope, out);
                } else if (type.equals("enum_variant")) {
                    named(node, "name", "constant", scope, out);
                }
            }
            case C, CPP -> {
                if (type.equals("preproc_def") || type.equals("preproc_function_def")) {
                    named(node, "name", type.equals("preproc_def") ? "constant" : "function", scope, out);
                } else if (type.equals("type_definition") || type.equals("alias_declaration")) {
                    TSNode name = node.getChildByFieldName(type.equals("alias_declaration") ? "name" : "declarator");
                    if (name != null && !name.isNull() && name.getType().equals("type_identifier")) {
                        add(out, node, text(name), "type", scope.qualifiers(), scope.containers(), ownText(node));
                    }
                } else if (type.equals("enumerator")) {
                    named(node, "name", "constant", scope, out);
                } else if (type.equals("field_declaration") && top) {
                    for (TSNode d : declaratorsOf(node)) {
                        String kind = d.getType().equals("function_declarator") ? "method" : "field";
                        String name = declaredName(d);
                        if (!name.isEmpty()) {
                            add(out, node, name, kind, scope.qualifiers(), scope.containers(), ownText(node));
                        }
                    }
                } else if (type.equals("declaration") && top) { // a global, not a local: functions are not entered
                    for (TSNode d : declaratorsOf(node)) {
                        if (!d.getType().equals("function_declarator")) {
                            String name = declaredName(d);
                            if (!name.isEmpty()) {
                                add(out, node, name, isConst(node) ? "constant" : "variable", scope.qualifiers(),
                                        scope.containers(), ownText(node));
                            }
                        }
                    }
                }
            }
        }
    }

    private boolean isConst(TSNode node) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            if (node.getNamedChild(i).getType().equals("type_qualifier") && text(node.getNamedChild(i)).equals("const")) {
                return true;
            }
        }
        return false;
    }

    /** The declarators of a C or C++ declaration: {@code int a, *b = 0;} has two. */
    private static List<TSNode> declaratorsOf(TSNode node) {
        List<TSNode> out = new ArrayList<>();
        for (int i = 0; i < node.getChildCount(); i++) {
            if ("declarator".equals(node.getFieldNameForChild(i))) {
                out.add(node.getChild(i));
            }
        }
        return out;
    }

    /** The name a C or C++ declarator declares: {@code *(*name)[4] = ...} is {@code name}. */
    private String declaredName(TSNode declarator) {
        TSNode d = declarator;
        for (int depth = 0; d != null && !d.isNull() && depth < 16; depth++) {
            String t = d.getType();
            if (t.equals("identifier") || t.equals("field_identifier") || t.equals("type_identifier")) {
                return text(d);
            }
            if (t.equals("qualified_identifier") || t.equals("operator_name") || t.equals("destructor_name")) {
                return text(d);
            }
            TSNode next = d.getChildByFieldName("declarator");
            d = next == null || next.isNull() ? (d.getNamedChildCount() > 0 ? d.getNamedChild(0) : null) : next;
        }
        return "";
    }

    private boolean isStaticFinal(TSNode node) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            TSNode child = node.getNamedChild(i);
            if (child.getType().equals("modifiers")) {
                String modifiers = text(child);
                return modifiers.contains("static") && modifiers.contains("final");
            }
        }
        return false;
    }

    private static String constantOrVariable(String name) {
        return name.equals(name.toUpperCase(java.util.Locale.ROOT)) && name.chars().anyMatch(Character::isLetter)
                ? "constant" : "variable";
    }

    /** Java: each variable a field declaration declares ({@code int a, b;}). */
    private void declarators(TSNode node, String kind, Scope scope, List<Symbol> out) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            TSNode child = node.getNamedChild(i);
            if (child.getType().equals("variable_declarator")) {
                TSNode name = child.getChildByFieldName("name");
                if (name != null && !name.isNull()) {
                    add(out, node, text(name), kind, scope.qualifiers(), scope.containers(), ownText(node));
                }
            }
        }
    }

    private void named(TSNode node, String field, String kind, Scope scope, List<Symbol> out) {
        TSNode name = node.getChildByFieldName(field);
        if (name != null && !name.isNull()) {
            add(out, node, text(name), kind, scope.qualifiers(), scope.containers(), ownText(node));
        }
    }

    private void add(List<Symbol> out, TSNode node, String name, String kind, List<String> qualifiers,
            List<String> containers, String signature) {
        if (name.isBlank()) {
            return;
        }
        List<String> qualified = new ArrayList<>(qualifiers);
        qualified.add(name);
        int start = node.getStartPoint().getRow();
        int end = node.getEndPoint().getRow();
        if (node.getEndPoint().getColumn() == 0 && end > start) {
            end--;
        }
        end = Math.min(end, lines.size() - 1);
        out.add(new Symbol(name, kind, String.join(".", qualified), containers, start + 1, Math.max(start, end) + 1,
                signature));
    }

    /**
     * What has no body says all of itself: its own text on one line, shortened, without a closing
     * semicolon ({@code int a, b}; {@code double area() const = 0}).
     */
    private String ownText(TSNode node) {
        int end = Math.min(node.getEndByte(), node.getStartByte() + MAX_SIGNATURE_BYTES);
        String text = WHITESPACE.matcher(tree.text(node.getStartByte(), end)).replaceAll(" ").strip();
        while (text.endsWith(";") || text.endsWith(",") || text.endsWith("{")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text.length() > MAX_SIGNATURE_CHARS ? text.substring(0, MAX_SIGNATURE_CHARS - 3) + "..." : text;
    }

    /** The package or namespace the file declares (Java, Go); empty if none. */
    private String packageOf(TSNode root) {
        for (int i = 0; i < root.getNamedChildCount(); i++) {
            TSNode child = root.getNamedChild(i);
            if (child.getType().equals("package_declaration") && child.getNamedChildCount() > 0) {
                for (int j = 0; j < child.getNamedChildCount(); j++) {
                    TSNode name = child.getNamedChild(j);
                    if (name.getType().equals("scoped_identifier") || name.getType().equals("identifier")) {
                        return text(name);
                    }
                }
            }
            if (child.getType().equals("package_clause") && child.getNamedChildCount() > 0) {
                return text(child.getNamedChild(0));
            }
        }
        return "";
    }

    /** A Go method's receiver type, without pointer or type parameters; empty for anything else. */
    private String receiverType(TSNode node) {
        if (language != SyntaxLanguage.GO || !node.getType().equals("method_declaration")) {
            return "";
        }
        TSNode receiver = node.getChildByFieldName("receiver");
        if (receiver == null || receiver.isNull() || receiver.getNamedChildCount() == 0) {
            return "";
        }
        TSNode type = receiver.getNamedChild(0).getChildByFieldName("type");
        return type == null || type.isNull() ? "" : stripGenerics(text(type).replace("*", "").strip());
    }

    private static String stripGenerics(String type) {
        int angle = type.indexOf('<');
        int bracket = type.indexOf('[');
        int cut = angle < 0 ? bracket : bracket < 0 ? angle : Math.min(angle, bracket);
        return (cut < 0 ? type : type.substring(0, cut)).strip();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
