package dev.indexer.chunk.syntax;

import dev.indexer.chunk.Symbol;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterCpp;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterRust;
import org.treesitter.TreeSitterTypescript;

/**
 * The languages parsed with tree-sitter, and which of their syntax nodes are definitions: types
 * (classes, structs, traits...) that enclose other definitions, and functions (functions, methods,
 * constructors) that do not. Node type names are the grammars' own.
 */
public enum SyntaxLanguage {
    JAVA("java", TreeSitterJava::new,
            Set.of("class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
                    "annotation_type_declaration"),
            Set.of("method_declaration", "constructor_declaration", "compact_constructor_declaration")),
    PYTHON("python", TreeSitterPython::new,
            Set.of("class_definition"),
            Set.of("function_definition")),
    JAVASCRIPT("javascript", TreeSitterJavascript::new,
            Set.of("class_declaration", "class"),
            Set.of("function_declaration", "generator_function_declaration", "method_definition")),
    TYPESCRIPT("typescript", TreeSitterTypescript::new,
            Set.of("class_declaration", "abstract_class_declaration", "class", "interface_declaration",
                    "enum_declaration", "internal_module", "module"),
            Set.of("function_declaration", "generator_function_declaration", "method_definition", "method_signature",
                    "abstract_method_signature", "function_signature")),
    GO("go", TreeSitterGo::new,
            Set.of("type_declaration"),
            Set.of("function_declaration", "method_declaration")),
    RUST("rust", TreeSitterRust::new,
            Set.of("struct_item", "enum_item", "union_item", "trait_item", "impl_item", "mod_item"),
            Set.of("function_item", "function_signature_item")),
    C("c", TreeSitterC::new,
            Set.of("struct_specifier", "union_specifier", "enum_specifier"),
            Set.of("function_definition")),
    CPP("cpp", TreeSitterCpp::new,
            Set.of("class_specifier", "struct_specifier", "union_specifier", "enum_specifier", "namespace_definition"),
            Set.of("function_definition"));

    private final String id;
    private final Supplier<TSLanguage> grammar;
    private final Set<String> types;
    private final Set<String> functions;

    SyntaxLanguage(String id, Supplier<TSLanguage> grammar, Set<String> types, Set<String> functions) {
        this.id = id;
        this.grammar = grammar;
        this.types = types;
        this.functions = functions;
    }

    /** The parser for a language name from {@link dev.indexer.chunk.Language}, if there is one. */
    public static Optional<SyntaxLanguage> of(String language) {
        return Arrays.stream(values()).filter(l -> l.id.equals(language)).findFirst();
    }

    public String id() {
        return id;
    }

    /** A new grammar handle; cheap, and each parser gets its own. */
    TSLanguage grammar() {
        return grammar.get();
    }

    boolean isType(String nodeType) {
        return types.contains(nodeType);
    }

    boolean isFunction(String nodeType) {
        return functions.contains(nodeType);
    }

    /**
     * Every definition of a file in this language, in the order they start (what the chunker
     * records for navigation); empty if the grammar does not load or the file nests too deeply.
     */
    public List<Symbol> symbols(List<String> lines) {
        Optional<SourceTree> parsed = SourceTree.parse(this, lines);
        if (parsed.isEmpty()) {
            return List.of();
        }
        try (SourceTree tree = parsed.get()) {
            return new FileSymbols(this, tree, lines, new Definitions(this, tree, lines)).symbols();
        } catch (StackOverflowError e) {
            return List.of();
        }
    }

    /** The documented functions of a file in this language, in order (for the evaluation's queries). */
    public List<Documented> documented(List<String> lines) {
        return DocComments.find(this, lines);
    }

    /**
     * The lines with every comment and every docstring blanked out (replaced by spaces, a line
     * left with nothing else made empty), so line numbers still match: the code an evaluation
     * indexes, which must not find a function by the words of its own documentation, nor by
     * any other comment's.
     */
    public List<String> withoutComments(List<String> lines) {
        return DocComments.withoutComments(this, lines);
    }

    /**
     * A documented function.
     *
     * @param docFirstLine first line of the documentation, 1-based
     * @param docLastLine last line of the documentation
     * @param firstLine first line of the function (its signature; for Python, the {@code def} line)
     * @param lastLine last line of the function
     * @param doc the documentation's text, comment markers removed
     */
    public record Documented(String name, int docFirstLine, int docLastLine, int firstLine, int lastLine, String doc) {}
}
