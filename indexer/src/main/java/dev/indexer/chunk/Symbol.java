package dev.indexer.chunk;

import java.util.List;

/**
 * A definition in a source file, as the parser saw it: what navigation (definitions, outlines,
 * the definition around a reference) is answered from.
 *
 * @param name its simple name as written ({@code resize}; a Rust impl: {@code Display for Point})
 * @param kind {@code class}, {@code method}, {@code field}... (see {@link #KINDS})
 * @param qualifiedName the names that lead to it, joined by dots: the package or namespace the
 *     file declares, the types around it, its name ({@code java.util.HashMap.resize}); a Go
 *     method's receiver type and a Rust impl's type count as its type
 * @param containers the names of the definitions around it, outermost first
 * @param startLine its first line, 1-based (a decorator or annotation included)
 * @param endLine its last line, inclusive
 * @param signature its declaration on one line, without its body
 */
public record Symbol(String name, String kind, String qualifiedName, List<String> containers, int startLine,
        int endLine, String signature) {
    /** Every kind a symbol can have. */
    public static final List<String> KINDS = List.of("class", "interface", "enum", "record", "annotation", "struct",
            "union", "trait", "impl", "module", "namespace", "type", "function", "method", "constructor", "field",
            "constant", "variable");

    public Symbol {
        containers = List.copyOf(containers);
    }

    /** An estimate of the memory it holds, for byte-bounded buffers. */
    public long weight() {
        long chars = name.length() + kind.length() + qualifiedName.length() + signature.length();
        for (String c : containers) {
            chars += c.length() + 16;
        }
        return 96 + 2 * chars;
    }
}
