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
    /** What a line of a key's body looks like, quoted or not: base64, a header line, or nothing. */
    private static final Pattern KEY_BODY = Pattern.compile(
            "\\s*[\"']?(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]+: .*|)(?:\\\\n)?[\"']?[,+;]?\\s*");
    /** What may follow a BEGIN marker on its line when the key's body follows it there too. */
    private static final Pattern KEY_TAIL = Pattern.compile("(?:\\\\n|[A-Za-z0-9+/=\\s])*");
    /** Where a password assignment is looked for: configuration, not code, where it is mostly a name. */
    private static final Set<String> CONFIG_EXTENSIONS = Set.of("properties", "ini", "cfg", "conf", "config", "toml",
            "yaml", "yml", "json", "xml", "env", "txt", "md", "sh", "bash", "zsh", "tf", "tfvars", "hcl", "gradle",
            "sql", "dockerfile", "cnf");
    /** Values that stand for a secret rather than being one. */
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)[$%{<\\[(*].*|.*[}>)\\]]|x{4,}|\\*+|\\.{3,}|null|none|true|false|changeme|password|secret|redacted.*"
                    + "|your[_-].*|example.*|dummy.*|test|env\\(.*|os\\.environ.*|process\\.env.*|getenv.*");

    private final boolean config;
    private final Map<SecretKind, Integer> found = new EnumMap<>(SecretKind.class);
    private boolean inKey;

    /** @param path the file's path below the root, which says whether it is configuration */
    public SecretRedactor(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? name : name.substring(dot + 1);
        this.config = CONFIG_EXTENSIONS.contains(extension) || name.startsWith(".env");
    }

    /** The line with its secrets replaced; the same string if it had none. */
    public String redact(String line) {
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
        String text = line;
        Matcher begin = SecretKind.PRIVATE_KEY.mayBeIn(line) ? BEGIN_KEY.matcher(line) : null;
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
        for (SecretKind kind : SecretKind.values()) {
            if (kind.pattern() != null && (kind != SecretKind.PASSWORD || config) && kind.mayBeIn(text)) {
                text = replace(kind, text);
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
            String secret = m.group("s");
            if ((kind == SecretKind.PASSWORD || kind == SecretKind.URL_PASSWORD)
                    && PLACEHOLDER.matcher(secret).matches()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, m.start("s")).append(kind.placeholder());
            copied = m.end("s");
            count(kind);
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private void count(SecretKind kind) {
        found.merge(kind, 1, Integer::sum);
    }

    /** The secrets redacted so far, by kind. */
    public Map<SecretKind, Integer> found() {
        return Map.copyOf(found);
    }
}
