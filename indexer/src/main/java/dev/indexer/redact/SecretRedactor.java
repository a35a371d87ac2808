package dev.indexer.redact;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of one file's lines, in order, before they are chunked: a secret in place of
 * which {@link SecretKind#placeholder()} stands is never embedded, stored or shown by search. Lines
 * keep their numbers: a private key's block becomes its placeholder on the first line and empty
 * lines after, for as long as the lines look like a key's body (base64, or a header such as
 * {@code Proc-Type:}); the first line that does not ends the block, so a lone {@code BEGIN} marker
 * in code hides nothing but itself. One per file (it remembers whether it is inside a key block);
 * not thread-safe.
 *
 * <p>Most lines hold none of the fragments a secret needs ({@code AKIA}, {@code ghp_}, {@code ://}),
 * so each kind's pattern only meets the lines that have its fragments.
 */
public final class SecretRedactor {
    private static final Pattern BEGIN_KEY = Pattern.compile("-----BEGIN[A-Z ]* PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern END_KEY = Pattern.compile("-----END[A-Z ]* PRIVATE KEY(?: BLOCK)?-----");
    /**
     * What a line of a key's body looks like, quoted or not: base64 of any length (the last line of
     * a block is short), a header line, or nothing.
     */
    private static final Pattern KEY_BODY = Pattern.compile(
            "\\s*[\"']?(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: .*|)(?:\\\\n)?[\"']?[,+;\\\\]?\\s*");
    /** What may follow a BEGIN marker on its line when the key's body follows it there too. */
    private static final Pattern KEY_TAIL = Pattern.compile("(?:\\\\n|[A-Za-z0-9+/=\\s])*");
    /** Where a password assignment is looked for: configuration, not code, where it is mostly a name. */
    private static final Set<String> CONFIG_EXTENSIONS = Set.of("properties", "ini", "cfg", "conf", "config", "toml",
            "yaml", "yml", "json", "xml", "env", "txt", "md", "sh", "bash", "zsh", "tf", "tfvars", "hcl", "gradle",
            "sql", "dockerfile", "cnf");
    /** Where a value runs to the end of its line (a comment aside) unless it is quoted. */
    private static final Set<String> LINE_VALUED = Set.of("properties", "ini", "cfg", "conf", "cnf", "yaml", "yml",
            "env");
    /** A YAML block scalar's indicator: the value is on the lines below, indented more than its key. */
    private static final Pattern BLOCK_SCALAR = Pattern.compile("[|>][+-]?\\d?\\s*(?:#.*)?");
    /**
     * Values that stand for a secret rather than being one: references, markers, empty words. A
     * value merely containing "example" is not among them (a real key can end in EXAMPLEKEY).
     */
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)[$%{<\\[(*].*|.*[}>)\\]]|x{4,}|\\*+|\\.{3,}|null|none|true|false|changeme|password|secret|redacted.*"
                    + "|your[_-].*|dummy|test|env\\(.*|os\\.environ.*|process\\.env.*|getenv.*");
    /** The shortest value taken for a password: shorter ones are mostly words ({@code pwd: off}). */
    private static final int MIN_VALUE = 6;

    private final boolean config;
    private final boolean lineValued;
    private final Map<SecretKind, Integer> found = new EnumMap<>(SecretKind.class);
    private boolean inKey;
    /** Inside a YAML block scalar that holds a secret: the indentation of its key; -1 when not. */
    private int blockKeyIndent = -1;
    private boolean blockShown;

    /** What the first line of every private key's block holds: a file without it has no key block. */
    public static final String KEY_MARKER = "PRIVATE KEY";

    /** @param path the file's path below the root, which says whether it is configuration */
    public SecretRedactor(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? name : name.substring(dot + 1);
        this.config = CONFIG_EXTENSIONS.contains(extension) || name.startsWith(".env");
        this.lineValued = LINE_VALUED.contains(extension) || name.startsWith(".env");
    }

    /**
     * Whether a secret in this file can be the lines below its key (a block scalar of a
     * configuration file whose values run to their line's end), so that a line can be redacted
     * only after the lines before it; key blocks ({@link #KEY_MARKER}) are the other such case.
     */
    public boolean valuesSpanLines() {
        return lineValued;
    }

    /** The line with its secrets replaced; the same string if it had none. */
    public String redact(String line) {
        if (blockKeyIndent >= 0) {
            if (line.isBlank()) {
                return line;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent > blockKeyIndent) {
                // The block's text: its first line becomes the placeholder, the rest empty, lines kept.
                boolean first = !blockShown;
                blockShown = true;
                return first ? line.substring(0, indent) + SecretKind.PASSWORD.placeholder() : "";
            }
            blockKeyIndent = -1;
        }
        if (inKey) {
            Matcher end = END_KEY.matcher(line);
            if (end.find()) {
                inKey = false;
                return line.substring(end.end()).isBlank() ? "" : redact(line.substring(end.end()));
            }
            if (KEY_BODY.matcher(line).matches()) {
                return "";
            }
            inKey = false; // not a key after all, or its end is missing: this line is text again
        }
        int present = SecretKind.kindsIn(line);
        if (present == 0) {
            return line;
        }
        String text = line;
        Matcher begin = (present & SecretKind.PRIVATE_KEY.bit()) != 0 ? BEGIN_KEY.matcher(line) : null;
        if (begin != null && begin.find()) {
            count(SecretKind.PRIVATE_KEY);
            Matcher end = END_KEY.matcher(line);
            String placeholder = SecretKind.PRIVATE_KEY.placeholder();
            if (end.find(begin.end())) {
                text = line.substring(0, begin.start()) + placeholder + line.substring(end.end());
            } else {
                inKey = true;
                String tail = line.substring(begin.end());
                int cut = begin.end() + keyTailLength(tail);
                text = line.substring(0, begin.start()) + placeholder + line.substring(cut);
            }
        }
        if (text != line) {
            present = SecretKind.kindsIn(text);
        }
        for (SecretKind kind : SecretKind.values()) {
            if (kind.pattern() != null && (config || !kind.configOnly()) && (present & kind.bit()) != 0) {
                String replaced = replace(kind, text);
                if (replaced != text) {
                    // A placeholder may hold another kind's fragment ("aws" in aws-access-key-id), as before.
                    text = replaced;
                    present = SecretKind.kindsIn(text);
                }
            }
        }
        return text;
    }

    /** How much of what follows a BEGIN marker on its line is the key's body (up to a closing quote, say). */
    private static int keyTailLength(String tail) {
        Matcher m = KEY_TAIL.matcher(tail);
        return m.lookingAt() ? m.end() : 0;
    }

    private String replace(SecretKind kind, String text) {
        Matcher m = kind.pattern().matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (m.find()) {
            String group = kind == SecretKind.PASSWORD_XML && m.group("s") == null ? "v" : "s";
            int start = m.start(group);
            int end = m.end(group);
            if (kind == SecretKind.PASSWORD) {
                if (BLOCK_SCALAR.matcher(m.group("s")).matches() && lineValued) {
                    // The value is the block below: hidden line by line as it comes.
                    blockKeyIndent = text.length() - text.stripLeading().length();
                    blockShown = false;
                    count(kind);
                    continue;
                }
                int[] value = passwordValue(text, start, end);
                start = value[0];
                end = value[1];
            }
            String secret = text.substring(start, end);
            if (kind.configOnly() && (secret.strip().length() < MIN_VALUE || PLACEHOLDER.matcher(secret.strip()).matches())
                    || kind == SecretKind.URL_PASSWORD && PLACEHOLDER.matcher(secret).matches()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, start).append(kind.placeholder());
            copied = end;
            count(kind);
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * Where an assigned password's value lies in {@code text}, from what the pattern took (a quoted
     * string, or the rest of the line): inside its quotes; else, in a format whose values run to the
     * end of the line, up to a comment; else up to the first space or delimiter.
     */
    private int[] passwordValue(String text, int start, int end) {
        char first = text.charAt(start);
        if (first == '"' || first == '\'') {
            return new int[] {start + 1, end - 1};
        }
        int stop = start;
        if (lineValued) {
            stop = end;
            int comment = text.indexOf(" #", start);
            if (comment >= 0 && comment < stop) {
                stop = comment;
            }
            while (stop > start && Character.isWhitespace(text.charAt(stop - 1))) {
                stop--;
            }
        } else {
            while (stop < end && " \t\"',;#".indexOf(text.charAt(stop)) < 0) {
                stop++;
            }
        }
        return new int[] {start, stop};
    }

    private void count(SecretKind kind) {
        found.merge(kind, 1, Integer::sum);
    }

    /** The secrets redacted so far, by kind. */
    public Map<SecretKind, Integer> found() {
        return Map.copyOf(found);
    }
}
