package dev.indexer.bench;

import dev.indexer.chunk.Symbol;
import dev.indexer.config.IndexHome;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The navigation lookups on a built collection, warm, as the MCP tools call them (the library,
 * without the JSON round trip): {@code find_symbol} over names drawn from the collection's own
 * definitions (exact, qualified, prefix, camel humps), {@code file_outline} over random indexed
 * files, {@code find_references} over identifiers drawn at random from random lines of random
 * files; p50/p95/p99 of each. Then each reference answer, all pages, against {@code rg -w -F -n
 * NAME ROOT} (kept to the indexed files): precision, recall, and both times, warm.
 *
 * <p>Usage: {@code NavigationBench INDEX_DIR COLLECTION [SEED] [--no-rg]}
 */
public final class NavigationBench {
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]+");

    private NavigationBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        Random random = new Random(args.length > 2 && !args[2].startsWith("-") ? Long.parseLong(args[2]) : 7);
        IndexHome home = new IndexHome(dir);
        List<String> files = new ArrayList<>();
        Path root;
        // The collection's only repository (collections made before repositories had one directory).
        Path repoDir = home.repos(name).values().stream().findFirst().orElse(home.repoDir(name));
        try (Manifest manifest = Manifest.openForReading(repoDir.resolve(Manifest.FILE_NAME))) {
            root = Path.of(manifest.meta().get("root"));
            manifest.chunkCounts().forEach((path, chunks) -> {
                if (chunks > 0) {
                    files.add(path);
                }
            });
        }
        files.sort(null);
        Set<String> indexed = new HashSet<>(files);
        Engine engine = Engine.forReading(home, EmbeddedTarget.forReading(home));
        try (CollectionReader reader = engine.openReader(name)) {
            NavigationReader nav = reader.navigation();
            // Queries from the collection's own definitions, in four forms.
            List<String> names = new ArrayList<>();
            List<String> qualified = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            List<String> humps = new ArrayList<>();
            List<String> outlined = new ArrayList<>();
            while (names.size() < 100 || qualified.size() < 100 || humps.size() < 50) {
                String file = files.get(random.nextInt(files.size()));
                List<Symbol> symbols = new ArrayList<>();
                collect(nav.outline(file).entries(), symbols::add);
                if (symbols.isEmpty()) {
                    continue;
                }
                outlined.add(file);
                Symbol s = symbols.get(random.nextInt(symbols.size()));
                names.add(s.name());
                if (s.name().length() > 4) {
                    prefixes.add(s.name().substring(0, 4));
                }
                if (!s.containers().isEmpty()) {
                    String owner = s.containers().get(s.containers().size() - 1);
                    qualified.add(owner + "." + s.name());
                    String initials = initials(owner);
                    if (initials.length() >= 2 && s.name().length() >= 3) {
                        humps.add(initials + "." + s.name().substring(0, 3));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-28s %6s %8s %8s %8s %10s%n", "lookup", "calls", "p50 ms", "p95 ms",
                    "p99 ms", "results");
            time("find_symbol exact name", names, q -> nav.find(q, Optional.empty(), Optional.empty(), Optional.empty(),
                    20).size());
            time("find_symbol Owner.name", qualified, q -> nav.find(q, Optional.empty(), Optional.empty(),
                    Optional.empty(), 20).size());
            time("find_symbol prefix", prefixes.subList(0, Math.min(50, prefixes.size())), q -> nav.find(q,
                    Optional.empty(), Optional.empty(), Optional.empty(), 20).size());
            time("find_symbol camel humps", humps.subList(0, 50), q -> nav.find(q, Optional.empty(), Optional.empty(),
                    Optional.empty(), 20).size());
            List<String> outlines = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                outlines.add(files.get(random.nextInt(files.size())));
            }
            time("file_outline", outlines, f -> nav.outline(f).entries().size());
            // Identifiers drawn at random: a random word of a random line of a random file.
            List<String> identifiers = new ArrayList<>();
            while (identifiers.size() < 100) {
                String file = files.get(random.nextInt(files.size()));
                List<String> lines = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
                if (lines.isEmpty()) {
                    continue;
                }
                Matcher m = IDENTIFIER.matcher(lines.get(random.nextInt(lines.size())));
                List<String> words = new ArrayList<>();
                while (m.find()) {
                    words.add(m.group());
                }
                if (!words.isEmpty()) {
                    identifiers.add(words.get(random.nextInt(words.size())));
                }
            }
            time("find_references first page", identifiers, n -> nav.references(n, Optional.empty(), Optional.empty(),
                    Navigation.DEFAULT_PAGE_LINES).lines());
            if (Arrays.asList(args).contains("--no-rg")) {
                return;
            }
            // Complete answers against rg, warm (each rg run once before it is timed).
            double precision = 0;
            double recall = 0;
            long mismatched = 0;
            List<Double> ours = new ArrayList<>();
            List<Double> rgs = new ArrayList<>();
            long lines = 0;
            for (String identifier : identifiers) {
                long start = System.nanoTime();
                Set<String> found = all(nav, identifier);
                ours.add((System.nanoTime() - start) / 1e6);
                rg(root, identifier);
                start = System.nanoTime();
                Set<String> expected = rg(root, identifier);
                rgs.add((System.nanoTime() - start) / 1e6);
                expected.removeIf(line -> !indexed.contains(line.substring(0, line.lastIndexOf(':'))));
                Set<String> both = new TreeSet<>(found);
                both.retainAll(expected);
                precision += found.isEmpty() ? 1 : (double) both.size() / found.size();
                recall += expected.isEmpty() ? 1 : (double) both.size() / expected.size();
                lines += expected.size();
                if (!found.equals(expected)) {
                    mismatched++;
                    Set<String> extra = new TreeSet<>(found);
                    extra.removeAll(expected);
                    Set<String> missing = new TreeSet<>(expected);
                    missing.removeAll(found);
                    System.out.println("  mismatch " + identifier + ": extra " + first(extra) + " missing " + first(missing));
                }
            }
            System.out.printf(Locale.ROOT, "references vs rg -w -F: %d identifiers, %,d lines; precision %.4f, recall"
                    + " %.4f, %d answers differ%n", identifiers.size(), lines, precision / identifiers.size(),
                    recall / identifiers.size(), mismatched);
            System.out.printf(Locale.ROOT, "all pages (500 lines each): p50 %.1f ms, p95 %.1f ms; rg over the tree:"
                    + " p50 %.1f ms, p95 %.1f ms%n", pct(ours, 50), pct(ours, 95), pct(rgs, 50), pct(rgs, 95));
        }
    }

    private static String first(Set<String> set) {
        return set.stream().limit(3).toList() + (set.size() > 3 ? " (" + set.size() + ")" : "");
    }

    private static void collect(List<Navigation.Entry> entries, Consumer<Symbol> out) {
        for (Navigation.Entry e : entries) {
            out.accept(e.symbol());
            collect(e.children(), out);
        }
    }

    private static String initials(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && (i == 0 || !Character.isUpperCase(name.charAt(i - 1)))) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private interface Lookup {
        int run(String input) throws Exception;
    }

    /** Each input once to warm up, then timed. */
    private static void time(String label, List<String> inputs, Lookup lookup) throws Exception {
        for (String input : inputs) {
            lookup.run(input);
        }
        List<Double> millis = new ArrayList<>();
        long results = 0;
        String slowest = "";
        double slowestMillis = 0;
        for (String input : inputs) {
            long start = System.nanoTime();
            results += lookup.run(input);
            double took = (System.nanoTime() - start) / 1e6;
            millis.add(took);
            if (took > slowestMillis) {
                slowestMillis = took;
                slowest = input;
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %6d %8.2f %8.2f %8.2f %10.1f   slowest: %s (%.1f ms)%n", label,
                inputs.size(), pct(millis, 50), pct(millis, 95), pct(millis, 99), (double) results / inputs.size(),
                slowest, slowestMillis);
    }

    private static double pct(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Set<String> all(NavigationReader nav, String identifier) {
        Set<String> found = new TreeSet<>();
        Optional<String> cursor = Optional.empty();
        do {
            Navigation.ReferencePage page = nav.references(identifier, Optional.empty(), cursor, Navigation.MAX_LIMIT);
            page.byFile().forEach(f -> f.lines().forEach(r -> found.add(f.path() + ":" + r.line())));
            cursor = page.next();
        } while (cursor.isPresent());
        return found;
    }

    /** {@code path:line} of every line rg finds, paths relative to the root (only the matches printed: less to read). */
    private static Set<String> rg(Path root, String identifier) throws IOException, InterruptedException {
        Process rg = new ProcessBuilder("rg", "-w", "-F", "-n", "-o", "--no-heading", "--with-filename", "-0", "-e",
                identifier, ".").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> found = new TreeSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(rg.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int nul = line.indexOf('\0');
                if (nul < 0) {
                    continue;
                }
                String path = line.substring(0, nul);
                path = path.startsWith("./") ? path.substring(2) : path;
                String rest = line.substring(nul + 1);
                found.add(path + ":" + rest.substring(0, rest.indexOf(':')));
            }
        }
        rg.waitFor();
        return found;
    }
}
