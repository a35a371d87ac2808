package dev.indexer.chunk.syntax;

import dev.indexer.chunk.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.treesitter.TSNode;

/**
 * Every definition of a parsed file, for navigation: types, functions and methods as the chunker
 * sees them ({@link Definitions}), and the members it does not cut at (fields, constants, enum
 * constants, type aliases, macros), each with the names around it and its qualified name.
 */
final class FileSymbols {
    private final SyntaxLanguage language;
    private final SourceTree tree;
    private final List<String> lines;
    private final Definitions definitions;

    FileSymbols(SyntaxLanguage language, SourceTree tree, List<String> lines, Definitions definitions) {
        this.language = language;
        this.tree = tree;
        this.lines = lines;
        this.definitions = definitions;
    }

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
        visit(root, root.getType(), null, new Scope(List.of(), pkg.isEmpty() ? List.of() : List.of(pkg), true, false),
                out, 0);
        return out;
    }

    /**
     * Where a node sits: the names of the definitions around it, the names that qualify what it
     * defines, whether it is at a file's or type's top level (where fields and constants are) and
     * directly in a type's body (where a function is a method). No scope is inside a function:
     * functions are not entered.
     */
    private record Scope(List<String> containers, List<String> qualifiers, boolean topLevel, boolean typeBody) {
        /** Inside the type {@code container}, whose members {@code qualifier} qualifies. */
        Scope into(String container, String qualifier) {
            return new Scope(append(containers, container), qualifier.isEmpty() ? qualifiers : append(qualifiers, qualifier),
                    true, true);
        }

        Scope nested() {
            return new Scope(containers, qualifiers, false, false);
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
                ? null : definitions.of(node, type, List.of());
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
        add(out, node, name, kind, qualifiers, containers, body == null || body.isNull() ? definitions.ownText(node) : self.signature());
        if (function) {
            return; // its locals are no definitions
        }
        // A Rust impl qualifies its members by the type it is for.
        String qualifier = type.equals("impl_item") ? stripGenerics(definitions.text(node.getChildByFieldName("type"))) : name;
        Scope inner = new Scope(containers, qualifiers, true, false).into(name, qualifier);
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
                        String name = definitions.text(left);
                        add(out, node, name, scope.containers().isEmpty() ? constantOrVariable(name) : "field",
                                scope.qualifiers(), scope.containers(), definitions.ownText(node));
                    }
                }
            }
            case JAVASCRIPT, TYPESCRIPT -> {
                if ((type.equals("lexical_declaration") || type.equals("variable_declaration")) && top
                        && definitions.of(node, List.of()) == null) {
                    String kind = definitions.text(node).startsWith("const") ? "constant" : "variable";
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode declarator = node.getNamedChild(i);
                        TSNode name = declarator.getChildByFieldName("name");
                        if (declarator.getType().equals("variable_declarator") && name != null && !name.isNull()
                                && name.getType().equals("identifier")) {
                            add(out, node, definitions.text(name), kind, scope.qualifiers(), scope.containers(), definitions.ownText(node));
                        }
                    }
                } else if ((type.equals("field_definition") || type.equals("public_field_definition")) && top) {
                    TSNode name = node.getChildByFieldName(type.equals("field_definition") ? "property" : "name");
                    if (name != null && !name.isNull()) {
                        add(out, node, definitions.text(name), "field", scope.qualifiers(), scope.containers(), definitions.ownText(node));
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
                        String n = definitions.text(name);
                        add(out, node, n, kind, scope.qualifiers(), scope.containers(), definitions.ownText(node));
                        if (body != null && !body.isNull()) {
                            children(body, body.getType(), scope.into(n, n), out, 0);
                        }
                    }
                } else if ((type.equals("const_spec") || type.equals("var_spec")) && scope.containers().isEmpty()) {
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode child = node.getNamedChild(i);
                        if (child.getType().equals("identifier")) {
                            add(out, node, definitions.text(child), type.equals("const_spec") ? "constant" : "variable",
                                    scope.qualifiers(), scope.containers(), definitions.ownText(node));
                        }
                    }
                } else if (type.equals("field_declaration") && !scope.containers().isEmpty()) {
                    for (int i = 0; i < node.getNamedChildCount(); i++) {
                        TSNode child = node.getNamedChild(i);
                        if (child.getType().equals("field_identifier")) {
                            add(out, node, definitions.text(child), "field", scope.qualifiers(), scope.containers(), definitions.ownText(node));
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
                        add(out, node, definitions.text(name), "type", scope.qualifiers(), scope.containers(), definitions.ownText(node));
                    }
                } else if (type.equals("enumerator")) {
                    named(node, "name", "constant", scope, out);
                } else if (type.equals("field_declaration") && top) {
                    for (TSNode d : declaratorsOf(node)) {
                        String kind = d.getType().equals("function_declarator") ? "method" : "field";
                        String name = declaredName(d);
                        if (!name.isEmpty()) {
                            add(out, node, name, kind, scope.qualifiers(), scope.containers(), definitions.ownText(node));
                        }
                    }
                } else if (type.equals("declaration") && top) { // a global, not a local: functions are not entered
                    for (TSNode d : declaratorsOf(node)) {
                        if (!d.getType().equals("function_declarator")) {
                            String name = declaredName(d);
                            if (!name.isEmpty()) {
                                add(out, node, name, isConst(node) ? "constant" : "variable", scope.qualifiers(),
                                        scope.containers(), definitions.ownText(node));
                            }
                        }
                    }
                }
            }
        }
    }

    private boolean isConst(TSNode node) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            if (node.getNamedChild(i).getType().equals("type_qualifier") && definitions.text(node.getNamedChild(i)).equals("const")) {
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
                return definitions.text(d);
            }
            if (t.equals("qualified_identifier") || t.equals("operator_name") || t.equals("destructor_name")) {
                return definitions.text(d);
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
                String modifiers = definitions.text(child);
                return modifiers.contains("static") && modifiers.contains("final");
            }
        }
        return false;
    }

    private static String constantOrVariable(String name) {
        return name.equals(name.toUpperCase(Locale.ROOT)) && name.chars().anyMatch(Character::isLetter)
                ? "constant" : "variable";
    }

    /** Java: each variable a field declaration declares ({@code int a, b;}). */
    private void declarators(TSNode node, String kind, Scope scope, List<Symbol> out) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            TSNode child = node.getNamedChild(i);
            if (child.getType().equals("variable_declarator")) {
                TSNode name = child.getChildByFieldName("name");
                if (name != null && !name.isNull()) {
                    add(out, node, definitions.text(name), kind, scope.qualifiers(), scope.containers(), definitions.ownText(node));
                }
            }
        }
    }

    private void named(TSNode node, String field, String kind, Scope scope, List<Symbol> out) {
        TSNode name = node.getChildByFieldName(field);
        if (name != null && !name.isNull()) {
            add(out, node, definitions.text(name), kind, scope.qualifiers(), scope.containers(), definitions.ownText(node));
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

    /** The package or namespace the file declares (Java, Go); empty if none. */
    private String packageOf(TSNode root) {
        for (int i = 0; i < root.getNamedChildCount(); i++) {
            TSNode child = root.getNamedChild(i);
            if (child.getType().equals("package_declaration") && child.getNamedChildCount() > 0) {
                for (int j = 0; j < child.getNamedChildCount(); j++) {
                    TSNode name = child.getNamedChild(j);
                    if (name.getType().equals("scoped_identifier") || name.getType().equals("identifier")) {
                        return definitions.text(name);
                    }
                }
            }
            if (child.getType().equals("package_clause") && child.getNamedChildCount() > 0) {
                return definitions.text(child.getNamedChild(0));
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
        return type == null || type.isNull() ? "" : stripGenerics(definitions.text(type).replace("*", "").strip());
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
