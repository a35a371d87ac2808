package dev.indexer.navigate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.StandInEmbedder;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.navigate.Navigation.Entry;
import dev.indexer.navigate.Navigation.Found;
import dev.indexer.navigate.Navigation.ReferencePage;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.PathGlob;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Definitions, outlines and references of a tree in all eight parsed languages, indexed by the
 * real pipeline (a stand-in model: vectors play no part here) and read back through the library's
 * reader, as the CLI and the MCP tools read them.
 */
class NavigationTest {
    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private CollectionWriter writer;

    @BeforeEach
    void writeTree() throws IOException {
        write("java/com/acme/util/Outer.java", """
                package com.acme.util;

                import java.util.List;

                /** Doc. */
                public class Outer<T> {
                    public static final int LIMIT = 10;
                    private int a, b;

                    @Deprecated
                    public Outer(int a) { this.a = a; }

                    int size() { return a; }

                    class Inner implements Runnable {
                        public void run() {
                            Runnable r = new Runnable() { public void run() {} };
                        }
                    }

                    enum Color { RED, GREEN }
                    record Point(int x, int y) { Point { } }
                    interface Shape { double PI = 3.14; double area(); }
                }
                """);
        write("java/com/acme/util/HashMap.java", """
                package com.acme.util;

                class HashMap {
                    void resize() { int sizes = size(); }
                    void reset() { resize(); }
                    int size() { return 0; }
                }
                """);
        write("java/com/acme/util/HashMapper.java", """
                package com.acme.util;

                class HashMapper {
                    void resolve() { new HashMap().resize(); }
                }
                """);
        write("py/pkg/geo.py", """
                import os
                MAX_SIZE = 10
                counter = 0

                @dataclass
                class Point:
                    x: int = 0
                    y = 1

                    def norm(self):
                        inner = 3
                        def helper():
                            pass
                        return helper

                    @staticmethod
                    def make():
                        pass

                async def fetch(url):
                    pass
                """);
        write("js/stack.js", """
                const LIMIT = 5;
                export const add = (a, b) => a + b;
                class Stack {
                  items = [];
                  push(x) { this.items.push(x); }
                  static of() { return new Stack(); }
                }
                """);
        write("ts/shapes.ts", """
                export interface Shape { area(): number; name: string; }
                type Id = string | number;
                export abstract class Base {
                  protected count: number = 0;
                  abstract run(): void;
                }
                namespace NS { export function f() {} }
                """);
        write("go/cache.go", """
                package cache

                const Max = 10

                type Map[K comparable, V any] struct {
                	items map[K]V
                	size  int
                }

                type Getter interface {
                	Get(k string) string
                }

                func New() *Map[string, int] { return nil }

                func (m *Map[K, V]) Get(k K) V {
                	var zero V
                	return zero
                }
                """);
        write("rs/point.rs", """
                pub const MAX: usize = 10;
                pub struct Point { x: i32, pub y: i32 }
                pub trait Area { fn area(&self) -> f64; }
                impl Area for Point {
                    fn area(&self) -> f64 { 0.0 }
                }
                impl Point {
                    pub fn new() -> Self { Point { x: 0, y: 0 } }
                }
                """);
        write("c/list.c", """
                #define MAX 10
                static int counter = 0;
                struct node { struct node *next; int value; };
                int add(int a, int b);
                int add(int a, int b) { int local = 1; return a + b; }
                """);
        write("cpp/shape.cpp", """
                namespace geo {
                class Shape {
                public:
                    virtual double area() const = 0;
                    Shape() {}
                };
                struct Circle : Shape { double r; double area() const override; };
                double Circle::area() const { return 3.14 * r * r; }
                }
                """);
        write("docs/notes.txt", "naïve size counts: size, sizes, a$size, size_t, size\n\u00e9size size\u00e9\n");
        // Lines end at '\n' only, as rg counts them: a lone '\r' does not start one.
        write("docs/crlf.txt", "size\r\nx\rsize\nnothing\r\nPoint");
        Engine engine = new Engine(new IndexHome(homeDir), new EmbeddedTarget(new IndexHome(homeDir), 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, StandInEmbedder.factory(0));
        writer = engine.openWriter("nav", CollectionSpec.DEFAULTS, Rebuild.NO);
        index();
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private RunSummary index() {
        return writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
    }

    private void write(String relative, String text) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private NavigationReader navigation() {
        return writer.reader().navigation();
    }

    private List<Found> find(String query) {
        return navigation().find(query, Optional.empty(), Optional.empty(), Optional.empty(), 20);
    }

    /** The first definition a query finds, as {@code path:line kind qualified}. */
    private String first(String query) {
        List<Found> found = find(query);
        assertFalse(found.isEmpty(), "nothing found for " + query);
        return describe(found.get(0));
    }

    private static String describe(Found f) {
        return f.path() + ":" + f.symbol().startLine() + " " + f.symbol().kind() + " " + f.symbol().qualifiedName();
    }

    @Test
    void searchHitsLandOnTheDefinitionTheQueryNames() {
        // HashMap.java is one chunk over three one-line methods: the hit keeps its lines and is
        // named by the method the query names, in every mode.
        for (SearchMode mode : SearchMode.values()) {
            SearchHit hit = writer.reader().search(new SearchQuery("reset the map", 3, mode, Optional.empty(),
                    Optional.of(PathGlob.of("HashMap.java")))).hits().get(0);
            assertEquals(List.of("java/com/acme/util/HashMap.java", "reset", "method", "HashMap"),
                    List.of(hit.path(), hit.symbol(), hit.kind(), hit.container()), mode.id());
            assertTrue(hit.startLine() <= 5 && hit.endLine() >= 5, hit.toString());
        }
    }

    @Test
    void everyLanguagesDefinitionsAreFoundBySimpleAndQualifiedName() {
        // Java: the package qualifies, nested types chain, '#' and '()' are taken.
        assertEquals("java/com/acme/util/Outer.java:16 method com.acme.util.Outer.Inner.run", first("Outer.Inner.run"));
        assertEquals("java/com/acme/util/Outer.java:13 method com.acme.util.Outer.size",
                first("com.acme.util.Outer#size()"));
        assertEquals("java/com/acme/util/Outer.java:7 constant com.acme.util.Outer.LIMIT", first("Outer.LIMIT"));
        assertEquals("java/com/acme/util/Outer.java:21 constant com.acme.util.Outer.Color.GREEN", first("Color.GREEN"));
        assertEquals(List.of("a"), find("Outer.a").stream().filter(f -> f.match() == Navigation.Match.QUALIFIED)
                .map(f -> f.symbol().name()).toList(), "one of the fields one declaration declares");
        // Python: the module path qualifies; methods, fields, module constants.
        assertEquals("py/pkg/geo.py:10 method py.pkg.geo.Point.norm", first("pkg.geo.Point.norm"));
        assertEquals("py/pkg/geo.py:10 method py.pkg.geo.Point.norm", first("Point.norm"));
        assertEquals("py/pkg/geo.py:2 constant py.pkg.geo.MAX_SIZE", first("MAX_SIZE"));
        assertEquals("py/pkg/geo.py:20 function py.pkg.geo.fetch", first("fetch"));
        assertTrue(find("helper").isEmpty(), "a function's locals are no definitions");
        // JavaScript and TypeScript.
        assertEquals("js/stack.js:5 method Stack.push", first("Stack.push"));
        assertEquals("js/stack.js:2 function add", first("add").startsWith("js") ? first("add") : describe(
                find("add").stream().filter(f -> f.language().equals("javascript")).findFirst().orElseThrow()));
        assertEquals("ts/shapes.ts:1 method Shape.area", first("Shape.area").startsWith("ts") ? first("Shape.area")
                : describe(find("Shape.area").stream().filter(f -> f.path().startsWith("ts")).findFirst().orElseThrow()));
        assertEquals("ts/shapes.ts:7 function NS.f", first("NS.f"));
        assertEquals("ts/shapes.ts:2 type Id", first("Id"));
        // Go: a method's receiver type is its type; the interface's method is another definition.
        assertEquals("go/cache.go:16 method cache.Map.Get", first("Map.Get"));
        assertEquals("go/cache.go:11 method cache.Getter.Get", first("Getter.Get"));
        assertEquals("go/cache.go:7 field cache.Map.size", first("cache.Map.size"));
        // Rust: an impl's methods belong to its type; Type::method.
        assertEquals("rs/point.rs:8 method Point.new", first("Point::new"));
        assertEquals("rs/point.rs:3 method Area.area", first("Area::area"));
        assertTrue(find("Point::area").stream().anyMatch(f -> describe(f).equals("rs/point.rs:5 method Point.area")));
        // C and C++: the definition, not the prototype; Class::method out of the class.
        assertEquals(List.of("c/list.c:5 function add"), find("add").stream().filter(f -> f.language().equals("c"))
                .map(NavigationTest::describe).toList());
        assertEquals("c/list.c:3 field node.next", first("node.next"));
        assertEquals(List.of("cpp/shape.cpp:7 method geo.Circle.area", "cpp/shape.cpp:8 method geo.Circle.area"),
                find("geo::Circle::area").stream().map(NavigationTest::describe).toList());
        assertEquals("cpp/shape.cpp:5 constructor geo.Shape.Shape", first("Shape::Shape"));
    }

    @Test
    void exactQualifiedFirstThenExactNamesThenPrefixesAndHumps() {
        List<String> sizes = find("size").stream().map(NavigationTest::describe).toList();
        assertEquals(3, sizes.stream().filter(s -> s.contains(" size") || s.endsWith(".size")).limit(3).count(),
                sizes.toString());
        assertTrue(sizes.indexOf("java/com/acme/util/HashMap.java:6 method com.acme.util.HashMap.size")
                < sizes.indexOf("java/com/acme/util/Outer.java:13 method com.acme.util.Outer.size") + 10);
        List<Found> humps = find("HM.res");
        assertEquals(List.of("com.acme.util.HashMap.reset", "com.acme.util.HashMap.resize",
                "com.acme.util.HashMapper.resolve"), humps.stream().map(f -> f.symbol().qualifiedName()).sorted().toList());
        assertTrue(humps.stream().allMatch(f -> f.match() == Navigation.Match.PARTIAL));
        List<Found> exact = find("HashMap.resize");
        assertEquals(Navigation.Match.QUALIFIED, exact.get(0).match());
        assertEquals("com.acme.util.HashMap.resize", exact.get(0).symbol().qualifiedName());
        assertEquals(1, exact.size(), "nothing else is HashMap.resize: " + exact);
        // Case ignored; a prefix finds; filters by kind, language and path.
        assertEquals("com.acme.util.HashMap.resize", find("hashmap.RESIZE").get(0).symbol().qualifiedName());
        assertTrue(find("resi").stream().anyMatch(f -> f.symbol().name().equals("resize")));
        List<Found> fields = navigation().find("size", Optional.of("field"), Optional.empty(), Optional.empty(), 20);
        assertEquals(List.of("go/cache.go:7 field cache.Map.size"), fields.stream().map(NavigationTest::describe).toList());
        assertTrue(navigation().find("size", Optional.empty(), Optional.of("GO"), Optional.empty(), 20).stream()
                .allMatch(f -> f.language().equals("go")));
        assertTrue(navigation().find("area", Optional.empty(), Optional.empty(), Optional.of(PathGlob.of("*.rs")), 20)
                .stream().allMatch(f -> f.path().endsWith(".rs")));
        assertEquals(2, navigation().find("a", Optional.empty(), Optional.empty(), Optional.empty(), 2).size());
    }

    /** An outline as indented names, one line each. */
    private static String render(List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        render(entries, 0, out);
        return out.toString();
    }

    private static void render(List<Entry> entries, int depth, StringBuilder out) {
        for (Entry e : entries) {
            out.append("  ".repeat(depth)).append(e.symbol().kind()).append(' ').append(e.symbol().name()).append('\n');
            render(e.children(), depth + 1, out);
        }
    }

    @Test
    void outlinesNestDefinitionsInEveryLanguage() throws IOException {
        assertEquals("""
                class Outer
                  constant LIMIT
                  field a
                  field b
                  constructor Outer
                  method size
                  class Inner
                    method run
                  enum Color
                    constant RED
                    constant GREEN
                  record Point
                    constructor Point
                  interface Shape
                    constant PI
                    method area
                """, render(navigation().outline("java/com/acme/util/Outer.java").entries()));
        assertEquals("""
                constant MAX_SIZE
                variable counter
                class Point
                  field x
                  field y
                  method norm
                  method make
                function fetch
                """, render(navigation().outline("py/pkg/geo.py").entries()));
        assertEquals("""
                constant LIMIT
                function add
                class Stack
                  field items
                  method push
                  method of
                """, render(navigation().outline("js/stack.js").entries()));
        assertEquals("""
                interface Shape
                  method area
                  field name
                type Id
                class Base
                  field count
                  method run
                module NS
                  function f
                """, render(navigation().outline("ts/shapes.ts").entries()));
        assertEquals("""
                constant Max
                struct Map
                  field items
                  field size
                interface Getter
                  method Get
                function New
                method Get
                """, render(navigation().outline("go/cache.go").entries()));
        assertEquals("""
                constant MAX
                struct Point
                  field x
                  field y
                trait Area
                  method area
                impl Area for Point
                  method area
                impl Point
                  method new
                """, render(navigation().outline("rs/point.rs").entries()));
        assertEquals("""
                constant MAX
                variable counter
                struct node
                  field next
                  field value
                function add
                """, render(navigation().outline("c/list.c").entries()));
        assertEquals("""
                namespace geo
                  class Shape
                    method area
                    constructor Shape
                  struct Circle
                    field r
                    method area
                  method area
                """, render(navigation().outline("cpp/shape.cpp").entries()));
        Navigation.Outline text = navigation().outline("docs/notes.txt");
        assertTrue(text.entries().isEmpty() && !text.reread());

        // Changed since it was indexed: read again, and said so.
        Path js = tree.resolve("js/stack.js");
        Files.writeString(js, Files.readString(js) + "function peek() {}\n");
        Files.setLastModifiedTime(js, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Navigation.Outline again = navigation().outline(tree.resolve("js/stack.js").toString());
        assertTrue(again.reread());
        assertTrue(render(again.entries()).endsWith("function peek\n"), render(again.entries()));
    }

    /** Every (path, line) of the tree where {@code name} is a whole identifier, by a scan of every file. */
    private List<String> scan(String name) throws IOException {
        Pattern word = Pattern.compile("(?<![\\w])" + Pattern.quote(name) + "(?![\\w])", Pattern.UNICODE_CHARACTER_CLASS);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = List.of(Files.readString(file).split("\n", -1));
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = word.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(tree.relativize(file).toString().replace('\\', '/') + ":" + (i + 1));
                    }
                }
            }
        }
        return found;
    }

    /** Every (path, line) the reference search gives, page by page, {@code pageLines} at a time. */
    private List<String> references(String name, int pageLines) {
        List<String> found = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            ReferencePage page = navigation().references(name, Optional.empty(), cursor, pageLines);
            assertTrue(page.lines() <= pageLines);
            page.byFile().forEach(f -> f.lines().forEach(r -> found.add(f.path() + ":" + r.line())));
            cursor = page.next();
            assertTrue(++pages < 1000, "pages end");
        } while (cursor.isPresent());
        return found;
    }

    @Test
    void referencesAreEveryLineAScanFindsPageByPage() throws IOException {
        for (String name : List.of("size", "Point", "resize", "a", "area", "naïve", "x", "LIMIT", "nowhere")) {
            List<String> expected = scan(name);
            assertEquals(expected, references(name, 2), name + " in pages of 2");
            assertEquals(expected, references(name, 500), name + " in one page");
        }
        assertTrue(scan("size").contains("docs/notes.txt:1"), "a$size, size, but not sizes or size_t");
        assertTrue(scan("size").containsAll(List.of("docs/crlf.txt:1", "docs/crlf.txt:2")));
        assertTrue(scan("Point").contains("docs/crlf.txt:4"), "the last line, without a newline");
        ReferencePage page = navigation().references("resize", Optional.empty(), Optional.empty(), 50);
        assertEquals(2, page.files());
        Navigation.FileReferences inMap = page.byFile().get(0);
        assertEquals("java/com/acme/util/HashMap.java", inMap.path());
        assertEquals(List.of("resize", "reset"), inMap.lines().stream().map(r -> r.enclosing().orElseThrow().name())
                .toList(), "each line with the definition around it");
        assertEquals(List.of("java/com/acme/util/HashMap.java:4", "java/com/acme/util/HashMap.java:5"),
                navigation().references("resize", Optional.of(PathGlob.of("**/HashMap.java")), Optional.empty(), 50)
                        .byFile().stream().flatMap(f -> f.lines().stream().map(r -> f.path() + ":" + r.line())).toList());
    }

    @Test
    void secretsAreNeitherFoundNorShownByReferences() throws IOException {
        write("config/app.properties", """
                service.region=eu
                aws.key=AKIAIOSFODNN7EXAMPLQ region
                """);
        write("keys/deploy.txt", """
                region notes
                -----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEA7bq+region/9Zx
                region
                -----END RSA PRIVATE KEY-----
                last region
                """);
        write("config/deploy.yaml", """
                password: |
                  region s3cretvalue
                other: region
                """);
        index();
        NavigationReader nav = navigation();
        assertEquals(0, nav.references("AKIAIOSFODNN7EXAMPLQ", Optional.empty(), Optional.empty(), 50).files(),
                "a secret is no term of the index");
        assertEquals(0, nav.references("MIIEowIBAAKCAQEA7bq", Optional.empty(), Optional.empty(), 50).files());
        ReferencePage page = nav.references("region", Optional.empty(), Optional.empty(), 50);
        List<String> lines = page.byFile().stream().flatMap(f -> f.lines().stream().map(r -> f.path() + ":" + r.line()
                + " " + r.text())).toList();
        assertTrue(lines.contains("config/app.properties:2 aws.key=[REDACTED:aws-access-key] region")
                || lines.stream().anyMatch(l -> l.startsWith("config/app.properties:2 ") && !l.contains("AKIA")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("AKIAIOSFODNN7EXAMPLQ")), lines.toString());
        assertEquals(List.of("keys/deploy.txt:1 region notes", "keys/deploy.txt:6 last region"),
                lines.stream().filter(l -> l.startsWith("keys/")).toList(), "nothing of the key's body");
        assertEquals(List.of("config/deploy.yaml:3 other: region"), lines.stream()
                .filter(l -> l.startsWith("config/deploy.yaml")).toList(), "nothing of a YAML block's secret");
        // A constant holding a secret: its signature is shown without it, from the index or read again.
        write("py/conf.py", "AWS_KEY = 'AKIAIOSFODNN7EXAMPLQ'\n");
        index();
        assertFalse(first("AWS_KEY").isEmpty());
        assertTrue(find("AWS_KEY").stream().noneMatch(f -> f.symbol().signature().contains("AKIA")), find("AWS_KEY").toString());
        Path conf = tree.resolve("py/conf.py");
        Files.writeString(conf, "AWS_KEY = 'AKIAIOSFODNN7EXAMPLQ'\nOTHER = 1\n");
        Files.setLastModifiedTime(conf, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Navigation.Outline reread = navigation().outline("py/conf.py");
        assertTrue(reread.reread() && reread.entries().size() == 2, reread.toString());
        assertFalse(reread.toString().contains("AKIA"), reread.toString());
        // A search hit shown as the function it lies in: the function's text, read now, without its secrets.
        write("py/client.py", """
                def connect_to_region(region):
                    key = "AKIAIOSFODNN7EXAMPLQ"
                    pem = \"\"\"-----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEA7bq+region/9Zx
                -----END RSA PRIVATE KEY-----\"\"\"
                    return open_session(region, key, pem)
                """);
        index();
        SearchHit hit = writer.reader().search(new SearchQuery("connect to region", 1, SearchMode.LEXICAL,
                Optional.empty(), Optional.of(PathGlob.of("client.py")))).hits().get(0);
        assertEquals(List.of("connect_to_region", 1, 6), List.of(hit.symbol(), hit.startLine(), hit.endLine()));
        assertTrue(hit.text().contains("return open_session(region, key, pem)"), hit.text());
        assertFalse(hit.text().contains("AKIA") || hit.text().contains("MIIEowIBAAKCAQEA7bq"), hit.text());
    }

    @Test
    void aFileNamesTheIndexedFilesWithItsTextWhileTheyStayAsIndexed() throws IOException {
        String stack = Files.readString(tree.resolve("js/stack.js"));
        write("js/mirror/stack.js", stack);
        write("js/alias/lifo.js", stack);
        write("js/almost.js", stack + "// one more line\n");
        index();
        NavigationReader nav = navigation();
        assertEquals(List.of("js/alias/lifo.js", "js/mirror/stack.js"), nav.definitions("js/stack.js").orElseThrow()
                .sameText(), "in path order, not itself, not a file that differs by a line");
        assertEquals(List.of("js/alias/lifo.js", "js/stack.js"), nav.definitions("js/mirror/stack.js").orElseThrow()
                .sameText());
        assertEquals(List.of(), nav.definitions("js/almost.js").orElseThrow().sameText());
        assertEquals(List.of(), nav.definitions("py/pkg/geo.py").orElseThrow().sameText());
        // Changed on disk since: a twin that may differ now is not named; nor are any, from a file that changed.
        Path alias = tree.resolve("js/alias/lifo.js");
        Files.writeString(alias, stack.replace("Stack", "Lifo!"));
        Files.setLastModifiedTime(alias, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(List.of("js/mirror/stack.js"), nav.definitions("js/stack.js").orElseThrow().sameText());
        // Touched (a new time, the same bytes, as a checkout leaves a file): its hash says it is as indexed.
        Path mirror = tree.resolve("js/mirror/stack.js");
        Files.setLastModifiedTime(mirror, FileTime.fromMillis(System.currentTimeMillis() + 7000));
        assertEquals(List.of("js/mirror/stack.js"), nav.definitions("js/stack.js").orElseThrow().sameText());
        Path own = tree.resolve("js/stack.js");
        Files.writeString(own, stack.replace("push", "pull"));
        Files.setLastModifiedTime(own, FileTime.fromMillis(System.currentTimeMillis() + 9000));
        assertEquals(List.of(), nav.definitions("js/stack.js").orElseThrow().sameText());
        // The next run brings it up to date: the alias and the mirror have one text again.
        Files.writeString(alias, stack);
        index();
        assertEquals(List.of("js/alias/lifo.js"), navigation().definitions("js/mirror/stack.js").orElseThrow().sameText());
        assertEquals(List.of(), navigation().definitions("js/stack.js").orElseThrow().sameText());
    }

    @Test
    void badInputIsRefusedWithTheRuleAndTheReaderGoesOn() {
        NavigationReader nav = navigation();
        for (String query : List.of("", "   ", "res.*", "a b", "x".repeat(500), "HashMap..resize", "(resize)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nav.find(query, Optional.empty(), Optional.empty(), Optional.empty(), 10), query);
            assertTrue(e.getMessage().contains("empty") || e.getMessage().contains("letters, digits")
                    || e.getMessage().contains("at most 200"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nav.find("size", Optional.of("gadget"),
                Optional.empty(), Optional.empty(), 10)).getMessage().contains("the kinds are class, interface"));
        for (String name : List.of("", "a.b", "size()", ".*", "x".repeat(500))) {
            assertThrows(IllegalArgumentException.class, () -> nav.references(name, Optional.empty(), Optional.empty(),
                    10), name);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nav.references("size", Optional.empty(),
                Optional.of("not-a-cursor!"), 10)).getMessage().contains("not a cursor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nav.outline("../../etc/passwd")).getMessage()
                .contains("outside the collection's root"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nav.outline("js/nothing.js")).getMessage()
                .contains("not an indexed file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nav.outline("js/stack.js\u0000")).getMessage()
                .contains("cannot be a path here"));
        assertThrows(IllegalArgumentException.class, () -> nav.find("size", Optional.empty(), Optional.empty(),
                Optional.empty(), 0));
        assertEquals("com.acme.util.HashMap.resize", nav.find("HashMap.resize", Optional.empty(), Optional.empty(),
                Optional.empty(), 5).get(0).symbol().qualifiedName(), "still answering");
    }

    @Test
    void runsKeepItCurrentAndACollectionWithoutOneIsReadAgainKeepingItsVectors() throws IOException {
        Files.writeString(tree.resolve("java/com/acme/util/HashMap.java"), """
                package com.acme.util;

                class HashMap {
                    void grow() { }
                }
                """);
        Files.delete(tree.resolve("js/stack.js"));
        index();
        assertTrue(find("HashMap.resize").isEmpty());
        assertEquals("java/com/acme/util/HashMap.java:4 method com.acme.util.HashMap.grow", first("HashMap.grow"));
        assertTrue(find("Stack").stream().noneMatch(f -> f.path().equals("js/stack.js")));
        assertEquals(scan("resize"), references("resize", 10));
        assertTrue(references("push", 10).isEmpty());

        // A collection made before navigation existed (or whose index was deleted): read again, vectors kept.
        writer.close();
        deleteTree(new dev.indexer.config.IndexHome(homeDir).repoDir("nav").resolve(NavigationWriter.DIR_NAME));
        Engine engine = new Engine(new IndexHome(homeDir), new EmbeddedTarget(new IndexHome(homeDir), 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, StandInEmbedder.factory(0));
        writer = engine.openWriter("nav", CollectionSpec.DEFAULTS, Rebuild.NO);
        RunSummary again = index();
        assertEquals(0, again.chunks().embedded(), "no chunk went through the model again");
        assertTrue(again.chunks().reused() > 0);
        assertEquals("java/com/acme/util/HashMap.java:4 method com.acme.util.HashMap.grow", first("HashMap.grow"));
        assertEquals(scan("Point"), references("Point", 50));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void filesOnDiskAreToldApartAndTouchedOnesAreHashedWithinABudget() throws IOException {
        index();
        String outer = "java/com/acme/util/Outer.java";
        String map = "java/com/acme/util/HashMap.java";
        String mapper = "java/com/acme/util/HashMapper.java";
        String geo = "py/pkg/geo.py";
        // The same size, other bytes, another time: only its hash tells.
        Path mapFile = tree.resolve(map);
        Files.writeString(mapFile, Files.readString(mapFile).replace("reset", "rest0"));
        Files.setLastModifiedTime(mapFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        // Touched: the same bytes at another time.
        Files.setLastModifiedTime(tree.resolve(mapper),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Files.delete(tree.resolve(geo));
        List<String> paths = List.of(outer, map, mapper, geo, "no/such/File.java");
        assertEquals(java.util.Map.of(outer, NavigationReader.OnDisk.AS_INDEXED, map, NavigationReader.OnDisk.CHANGED,
                mapper, NavigationReader.OnDisk.AS_INDEXED, geo, NavigationReader.OnDisk.DELETED),
                navigation().onDisk(paths), "a file the index does not know is left out");
        // With room to hash one of the two touched files only, the other is left out, not guessed.
        long mapSize = Files.size(mapFile);
        java.util.Map<String, NavigationReader.OnDisk> budgeted = navigation().onDisk(paths, mapSize);
        assertEquals(NavigationReader.OnDisk.CHANGED, budgeted.get(map));
        assertFalse(budgeted.containsKey(mapper), budgeted.toString());
        assertEquals(NavigationReader.OnDisk.AS_INDEXED, budgeted.get(outer), "an untouched file costs no hash");
    }

    @Test
    void aRunRecordsTheTimeOfATouchedFileSoLookupsNeedNoHashAfterIt() throws IOException {
        String mapper = "java/com/acme/util/HashMapper.java";
        String outer = "java/com/acme/util/Outer.java";
        Path mapperFile = tree.resolve(mapper);
        long later = System.currentTimeMillis() + 5_000;
        Files.setLastModifiedTime(mapperFile, FileTime.fromMillis(later));
        List<String> paths = List.of(mapper, outer);
        // Before a run sees it, only its hash can tell it unchanged: with no room to hash, nothing is said of it.
        assertEquals(java.util.Map.of(outer, NavigationReader.OnDisk.AS_INDEXED), navigation().onDisk(paths, 0));

        RunSummary rerun = index();
        assertEquals(1, rerun.changes().touched(), "the run found the file touched with its bytes the same");
        assertEquals(java.util.Map.of(mapper, NavigationReader.OnDisk.AS_INDEXED, outer,
                NavigationReader.OnDisk.AS_INDEXED), navigation().onDisk(paths, 0), "known unchanged from a stat");
        // Its definitions stay as indexed, and landing takes it as unchanged too.
        assertTrue(navigation().outline(mapper).entries().stream().anyMatch(e -> e.symbol().name().equals("HashMapper")),
                navigation().outline(mapper).toString());
        assertFalse(navigation().outline(mapper).reread(), "read from the index, not parsed again");

        // Bytes changed at the recorded time's size: still told apart (by the hash, as the time moved).
        Files.writeString(mapperFile, Files.readString(mapperFile).replace("class", "clas5"));
        Files.setLastModifiedTime(mapperFile, FileTime.fromMillis(later + 5_000));
        assertEquals(NavigationReader.OnDisk.CHANGED, navigation().onDisk(paths).get(mapper));
        // And a run after that indexes it again, with the time it has now.
        RunSummary changed = index();
        assertEquals(1, changed.changes().changed());
        assertEquals(NavigationReader.OnDisk.AS_INDEXED, navigation().onDisk(paths, 0).get(mapper));
    }
}
