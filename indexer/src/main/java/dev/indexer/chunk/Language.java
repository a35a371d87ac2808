package dev.indexer.chunk;

import java.util.Locale;
import java.util.Map;

/** The language of a file, from its extension or name. */
public final class Language {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("java", "java"), Map.entry("kt", "kotlin"), Map.entry("kts", "kotlin"),
            Map.entry("scala", "scala"), Map.entry("groovy", "groovy"), Map.entry("gradle", "groovy"),
            Map.entry("py", "python"), Map.entry("pyi", "python"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("cjs", "javascript"),
            Map.entry("jsx", "javascript"), Map.entry("ts", "typescript"), Map.entry("tsx", "typescript"),
            Map.entry("mts", "typescript"), Map.entry("cts", "typescript"),
            Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("c", "c"), Map.entry("h", "c"),
            Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"), Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"),
            Map.entry("hh", "cpp"), Map.entry("hxx", "cpp"), Map.entry("cs", "csharp"), Map.entry("swift", "swift"),
            Map.entry("m", "objective-c"), Map.entry("mm", "objective-c"), Map.entry("rb", "ruby"),
            Map.entry("php", "php"), Map.entry("pl", "perl"), Map.entry("pm", "perl"), Map.entry("lua", "lua"),
            Map.entry("r", "r"), Map.entry("jl", "julia"), Map.entry("dart", "dart"), Map.entry("ex", "elixir"),
            Map.entry("exs", "elixir"), Map.entry("erl", "erlang"), Map.entry("hs", "haskell"), Map.entry("ml", "ocaml"),
            Map.entry("clj", "clojure"), Map.entry("zig", "zig"), Map.entry("nim", "nim"), Map.entry("v", "verilog"),
            Map.entry("sh", "shell"), Map.entry("bash", "shell"), Map.entry("zsh", "shell"), Map.entry("fish", "shell"),
            Map.entry("ps1", "powershell"), Map.entry("bat", "batch"), Map.entry("sql", "sql"),
            Map.entry("html", "html"), Map.entry("htm", "html"), Map.entry("css", "css"), Map.entry("scss", "scss"),
            Map.entry("less", "less"), Map.entry("vue", "vue"), Map.entry("svelte", "svelte"),
            Map.entry("xml", "xml"), Map.entry("json", "json"), Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"),
            Map.entry("toml", "toml"), Map.entry("ini", "ini"), Map.entry("properties", "properties"),
            Map.entry("proto", "protobuf"), Map.entry("graphql", "graphql"), Map.entry("tf", "terraform"),
            Map.entry("md", "markdown"), Map.entry("markdown", "markdown"), Map.entry("rst", "restructuredtext"),
            Map.entry("adoc", "asciidoc"), Map.entry("txt", "text"), Map.entry("csv", "csv"),
            Map.entry("pdf", "pdf"), Map.entry("docx", "word"), Map.entry("doc", "word"), Map.entry("odt", "opendocument"),
            Map.entry("ods", "opendocument"), Map.entry("odp", "opendocument"), Map.entry("rtf", "rtf"),
            Map.entry("epub", "epub"), Map.entry("pptx", "powerpoint"), Map.entry("ppt", "powerpoint"),
            Map.entry("xlsx", "excel"), Map.entry("xls", "excel"));

    private static final Map<String, String> BY_NAME = Map.of(
            "Makefile", "make", "Dockerfile", "dockerfile", "CMakeLists.txt", "cmake",
            "BUILD", "starlark", "WORKSPACE", "starlark", "Jenkinsfile", "groovy");

    private Language() {}

    /** The language for a {@code /}-separated path; {@code text} when nothing matches. */
    public static String of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return BY_NAME.getOrDefault(name, dot <= 0 || dot == name.length() - 1 ? "text"
                : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "text"));
    }
}
