package dev.indexer.chunk.syntax;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;

/**
 * A file's lines parsed by tree-sitter, with the UTF-8 bytes its node offsets point into. Closing
 * it frees the native tree.
 */
final class SourceTree implements AutoCloseable {
    private final byte[] utf8;
    private final TSTree tree;

    private SourceTree(byte[] utf8, TSTree tree) {
        this.utf8 = utf8;
        this.tree = tree;
    }

    /** The parse of the lines joined by newlines; empty if the grammar does not load. */
    static Optional<SourceTree> parse(SyntaxLanguage language, List<String> lines) {
        String source = String.join("\n", lines);
        try (TSParser parser = new TSParser()) {
            if (!parser.setLanguage(language.grammar())) {
                return Optional.empty();
            }
            TSTree tree = parser.parseStringEncoding(null, source, TSInputEncoding.TSInputEncodingUTF8);
            return Optional.of(new SourceTree(source.getBytes(StandardCharsets.UTF_8), tree));
        }
    }

    TSNode root() {
        return tree.getRootNode();
    }

    /** The source text of a node; empty for a missing node. */
    String text(TSNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        return text(node.getStartByte(), node.getEndByte());
    }

    /** The source text between two byte offsets. */
    String text(int startByte, int endByte) {
        int start = Math.max(0, startByte);
        int end = Math.min(utf8.length, endByte);
        return end <= start ? "" : new String(utf8, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        tree.close();
    }
}
