package dev.indexer.eval;

import dev.indexer.chunk.Language;
import dev.indexer.chunk.syntax.SyntaxLanguage;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a CodeSearchNet-style evaluation set from a codebase: every documented function gives a
 * query (the first sentence of its documentation) whose answer is the function. The code is copied
 * with every comment and docstring blanked out (lines kept, so line numbers still match), because an index
 * that holds the documentation would find it by the words of the query.
 */
final class EvalSetBuilder {
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@\\w+\\s+([^}]*)}");
    private static final Pattern HTML = Pattern.compile("<[^>]+>");
    private static final int MIN_WORDS = 4;

    private EvalSetBuilder() {}

    /** The set, and the copy of the code without its documentation. */
    public record EvalSet(Path code, List<EvalQuery> queries, int files) {}

    /**
     * @param copy an empty directory for the code without documentation
     * @param maxFiles source files to use at most, a seeded random sample (indexing time grows with them)
     * @param maxQueries queries to keep at most, a seeded random sample
     */
    public static EvalSet build(Path source, Path copy, int maxFiles, int maxQueries, long seed) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<SourceFile> walk = new FileWalker(source, new WalkOptions(1L << 20, WalkOptions.SymlinkPolicy.SKIP),
                (p, r, d) -> {}).stream()) {
            walk.filter(f -> SyntaxLanguage.of(Language.of(f.relativePath())).isPresent()).forEach(files::add);
        }
        Random random = new Random(seed);
        Collections.shuffle(files, random);
        List<SourceFile> chosen = files.subList(0, Math.min(maxFiles, files.size()));
        List<EvalQuery> queries = new ArrayList<>();
        int written = 0;
        for (SourceFile file : chosen) {
            Optional<List<String>> lines = readUtf8(file.path());
            if (lines.isEmpty()) {
                continue;
            }
            SyntaxLanguage language = SyntaxLanguage.of(Language.of(file.relativePath())).orElseThrow();
            // Every comment and docstring goes, not only the documentation the queries come from.
            List<String> copied = language.withoutComments(lines.get());
            for (SyntaxLanguage.Documented d : language.documented(lines.get())) {
                query(d.doc()).ifPresent(q -> queries.add(
                        new EvalQuery(q, file.relativePath(), d.firstLine(), d.lastLine(), d.name())));
            }
            Path target = copy.resolve(file.relativePath());
            Files.createDirectories(target.getParent());
            Files.write(target, copied, StandardCharsets.UTF_8);
            written++;
        }
        Collections.shuffle(queries, random);
        List<EvalQuery> kept = new ArrayList<>(queries.subList(0, Math.min(maxQueries, queries.size())));
        return new EvalSet(copy, kept, written);
    }

    /** The documentation's first sentence, if it says enough to be a query. */
    static Optional<String> query(String doc) {
        StringBuilder summary = new StringBuilder();
        for (String line : doc.split("\n")) {
            String l = line.strip();
            // Tags (@param...) and Python's sections end the description; so does a blank line.
            if (l.startsWith("@") || l.matches("(?i)(args|arguments|returns?|raises|parameters|example|examples):?")
                    || (l.isEmpty() && summary.length() > 0)) {
                break;
            }
            summary.append(l).append(' ');
        }
        String text = INLINE_TAG.matcher(summary).replaceAll("$1");
        text = HTML.matcher(text).replaceAll(" ").replaceAll("\\s+", " ").strip();
        int end = text.indexOf(". ");
        String sentence = end > 0 ? text.substring(0, end + 1) : text;
        return Optional.of(sentence).filter(s -> !s.toLowerCase(java.util.Locale.ROOT).contains("inheritdoc")
                && s.split(" ").length >= MIN_WORDS);
    }

    private static Optional<List<String>> readUtf8(Path file) {
        try {
            String content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            return Optional.of(content.lines().toList());
        } catch (IOException e) {
            return Optional.empty(); // not UTF-8 (CharacterCodingException), or unreadable: not a candidate
        }
    }
}
