package dev.indexer.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The secrets that are redacted from file contents before anything is embedded or stored. Each is
 * a format with a fixed shape (a prefix, a length, an alphabet) or a value in a place that only
 * holds secrets (a password assignment in a configuration file, the password of a URL), chosen for
 * precision: a false positive hides a little text from search, a false negative leaks a credential.
 * The group named {@code s} is what is replaced; without it, the whole match.
 */
public enum SecretKind {
    PRIVATE_KEY("private-key", null, "-----BEGIN"),
    AWS_ACCESS_KEY_ID("aws-access-key-id", "\\b(?<s>(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})\\b",
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"),
    AWS_SECRET_ACCESS_KEY("aws-secret-access-key",
            "(?i)aws.{0,20}?(?:secret|private).{0,20}?[\\s\"':=]+(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            "aws", "AWS", "Aws"),
    GITHUB_TOKEN("github-token",
            "\\b(?<s>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b",
            "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    GITLAB_TOKEN("gitlab-token", "\\b(?<s>gl(?:pat|ptt|dt|rt|ft|imt|cbt|soat)-[A-Za-z0-9_-]{20,})", "glpat-", "glptt-",
            "gldt-", "glrt-", "glft-", "glimt-", "glcbt-", "glsoat-"),
    SLACK_TOKEN("slack-token", "\\b(?<s>xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Za-z0-9-]{20,})", "xox", "xapp-"),
    SLACK_WEBHOOK("slack-webhook",
            "(?<s>https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)",
            "hooks.slack.com"),
    STRIPE_KEY("stripe-key", "\\b(?<s>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})\\b", "k_live_", "k_test_"),
    GOOGLE_API_KEY("google-api-key", "\\b(?<s>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", "AIza"),
    ANTHROPIC_KEY("anthropic-key", "\\b(?<s>sk-ant-[a-z]{3,6}\\d{2}-[A-Za-z0-9_-]{20,})", "sk-ant-"),
    OPENAI_KEY("openai-key", "\\b(?<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{20}T3BlbkFJ"
            + "[A-Za-z0-9]{20}|sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])", "sk-"),
    SENDGRID_KEY("sendgrid-key", "\\b(?<s>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])", "SG."),
    NPM_TOKEN("npm-token", "\\b(?<s>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])", "npm_"),
    AZURE_STORAGE_KEY("azure-storage-key",
            "(?i)\\b(?:Account|SharedAccess)Key\\s*=\\s*(?<s>[A-Za-z0-9+/]{40,}={0,2})", "ccountKey", "ccessKey",
            "CCOUNTKEY", "CCESSKEY", "ccountkey", "ccesskey"),
    TWILIO_KEY("twilio-key", "\\b(?<s>SK[0-9a-fA-F]{32})\\b", "SK"),
    /** Tokens of other services, each told by its published prefix and shape. */
    API_TOKEN("api-token", "\\b(?<s>shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"
            + "|hf_[A-Za-z0-9]{34,}|do[opr]_v1_[a-f0-9]{64}|dapi[a-f0-9]{32}|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,}"
            + "|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|hv[sb]\\.[A-Za-z0-9_-]{24,}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"
            + "|glc_[A-Za-z0-9+/]{32,}={0,2}|NRAK-[A-Z0-9]{27}|dp\\.pt\\.[a-z0-9]{40,}|lin_api_[A-Za-z0-9]{40}"
            + "|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}|key-[0-9a-f]{32}|[0-9a-f]{32}-us\\d{1,2}"
            + "|ATATT3[A-Za-z0-9_=-]{100,}|\\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])",
            "shp", "pypi-", "hf_", "_v1_", "dapi", "sq0", "PMAK-", "hvs.", "hvb.", "glsa_", "glc_", "NRAK-", "dp.pt.",
            "lin_api_", "AGE-SECRET-KEY-", "key-", "-us", ":AA", "ATATT3"),
    JWT("jwt", "\\b(?<s>eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})", "eyJ"),
    /** Credentials in an HTTP Authorization header, in scripts, docs and requests: after a JWT, which it may hold. */
    AUTHORIZATION("authorization-header", "(?i)\\bAuthorization\\s*[:=]\\s*[\"']?(?:Bearer|Basic|Token)\\s+"
            + "(?<s>[A-Za-z0-9._~+/-]{16,}={0,2})", "uthorization", "UTHORIZATION"),
    URL_PASSWORD("url-password",
            "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s:/@\"'<>]*:(?<s>[^\\s@/\"'<>]+)@[^\\s@/\"'<>]", "://"),
    /**
     * A password, key or token assigned in a configuration file; in code such names mostly hold
     * names. The value runs to the end of its quotes, or in formats whose values run to the end of
     * the line (properties, YAML, .env, INI), to the end of the line.
     */
    PASSWORD("password",
            "(?i)(?:^|[\\s{,\"'(])(?:[\\w.-]*(?:password|passwd|pwd|secret|api[_-]?key|auth[_-]?token|access[_-]?token"
                    + "|private[_-]?key|client[_-]?secret)[\\w.-]*|(?:[\\w.-]*[_.-])?token)[\"']?\\s*[:=]\\s*"
                    + "(?<s>\"[^\"]*\"|'[^']*'|[^\\s\"',;#][^\\r\\n]*)",
            "ass", "ASS", "wd", "WD", "ecret", "ECRET", "ey", "EY", "oken", "OKEN"),
    /** The XML forms of a password in configuration: an element of its own, or a key and its value. */
    PASSWORD_XML("password",
            "(?i)<(?<tag>(?:[\\w.-]*:)?[\\w.-]*(?:password|passwd|secret|token|api[_-]?key|private[_-]?key))(?:\\s[^<>]*)?>"
                    + "(?<s>[^<>\\r\\n]+)</\\k<tag>\\s*>|\\b(?:key|name)\\s*=\\s*\"[^\"]*(?:password|passwd|secret|token"
                    + "|api[_-]?key)[^\"]*\"\\s+value\\s*=\\s*\"(?<v>[^\"]+)\"",
            "ass", "ASS", "wd", "WD", "ecret", "ECRET", "ey", "EY", "oken", "OKEN");

    private final String id;
    private final Pattern pattern;
    private final String[] triggers;

    SecretKind(String id, String regex, String... triggers) {
        this.id = id;
        this.pattern = regex == null ? null : Pattern.compile(regex);
        this.triggers = triggers;
    }

    /**
     * Every kind's fragments (all ASCII) as one automaton (Aho-Corasick): {@link #kindsIn} reads a
     * line once, a table lookup a character, instead of searching it for each of some 70 fragments
     * in turn, which was most of the cost of redacting a file (and so of landing a search's hits,
     * which redacts the files it reads). {@code NEXT[state * 128 + c]} is the state after character
     * {@code c}; {@code FOUND[state]} the bits of the kinds whose fragments end there.
     */
    private static final int[] NEXT;
    private static final int[] FOUND;

    static {
        List<int[]> next = new ArrayList<>();
        List<Integer> found = new ArrayList<>();
        next.add(emptyState());
        found.add(0);
        for (SecretKind kind : values()) {
            for (String trigger : kind.triggers) {
                int state = 0;
                for (char c : trigger.toCharArray()) {
                    if (c >= 128) {
                        throw new IllegalStateException("a fragment must be ASCII: " + trigger);
                    }
                    if (next.get(state)[c] < 0) {
                        next.get(state)[c] = next.size();
                        next.add(emptyState());
                        found.add(0);
                    }
                    state = next.get(state)[c];
                }
                found.set(state, found.get(state) | kind.bit());
            }
        }
        // Breadth first: a state's fallback (the longest proper suffix that is also a prefix) is
        // complete before the states below it need it.
        int[] fallback = new int[next.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < 128; c++) {
            int child = next.get(0)[c];
            if (child < 0) {
                next.get(0)[c] = 0;
            } else {
                fallback[child] = 0;
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            found.set(state, found.get(state) | found.get(fallback[state]));
            for (int c = 0; c < 128; c++) {
                int child = next.get(state)[c];
                if (child < 0) {
                    next.get(state)[c] = next.get(fallback[state])[c];
                } else {
                    fallback[child] = next.get(fallback[state])[c];
                    queue.add(child);
                }
            }
        }
        NEXT = new int[next.size() * 128];
        FOUND = new int[next.size()];
        for (int state = 0; state < next.size(); state++) {
            for (int c = 0; c < 128; c++) {
                NEXT[state * 128 + c] = next.get(state)[c] * 128;
            }
            FOUND[state] = found.get(state);
        }
    }

    private static int[] emptyState() {
        int[] state = new int[128];
        Arrays.fill(state, -1);
        return state;
    }

    /** This kind's bit in {@link #kindsIn}'s answer (there are fewer than 32 kinds). */
    int bit() {
        return 1 << ordinal();
    }

    /**
     * The kinds whose fragments the line holds, as their {@link #bit}s: the same as asking
     * {@link #mayBeIn} of each kind, in one reading of the line.
     */
    static int kindsIn(String line) {
        int found = 0;
        int at = 0; // a state's offset in NEXT: its number times 128
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if (c >= 128) {
                at = 0; // no fragment holds it: none runs across it
                continue;
            }
            at = NEXT[at + c];
            found |= FOUND[at >> 7];
        }
        return found;
    }

    /**
     * Whether the line holds one of this kind's fragments, looked for one by one: the definition of
     * what {@link #kindsIn} answers for every kind at once (and the reference its test checks it against).
     */
    boolean mayBeIn(String line) {
        for (String trigger : triggers) {
            if (line.indexOf(trigger) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The name in placeholders and reports: {@code [REDACTED:aws-access-key-id]}. */
    public String id() {
        return id;
    }

    /** Whether this kind is looked for in configuration files only: in code such names mostly hold names. */
    boolean configOnly() {
        return this == PASSWORD || this == PASSWORD_XML;
    }

    /** The pattern of a one-line secret; null for the private-key block, which spans lines. */
    Pattern pattern() {
        return pattern;
    }

    /** What takes the secret's place: the text around it stays searchable. */
    public String placeholder() {
        return "[REDACTED:" + id + "]";
    }
}
