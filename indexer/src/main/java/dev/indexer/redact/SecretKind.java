package dev.indexer.redact;

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
    AWS_ACCESS_KEY_ID("aws-access-key-id",
            "\\b(?<s>(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})\\b",
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"),
    AWS_SECRET_ACCESS_KEY("aws-secret-access-key",
            "(?i)aws.{0,20}?(?:secret|private).{0,20}?[\\s\"':=]+(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            "aws", "AWS", "Aws"),
    GITHUB_TOKEN("github-token",
            "\\b(?<s>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b",
            "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    GITLAB_TOKEN("gitlab-token", "\\b(?<s>glpat-[A-Za-z0-9_-]{20,})", "glpat-"),
    SLACK_TOKEN("slack-token", "\\b(?<s>xox[abposr]-[A-Za-z0-9-]{10,})", "xox"),
    SLACK_WEBHOOK("slack-webhook",
            "(?<s>https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)",
            "hooks.slack.com"),
    STRIPE_KEY("stripe-key", "\\b(?<s>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})\\b", "k_live_", "k_test_"),
    GOOGLE_API_KEY("google-api-key", "\\b(?<s>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", "AIza"),
    JWT("jwt", "\\b(?<s>eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})", "eyJ"),
    URL_PASSWORD("url-password",
            "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s:/@\"'<>]+:(?<s>[^\\s@/\"'<>]+)@[^\\s@/\"'<>]", "://"),
    /** A password, key or token assigned in a configuration file; in code such names mostly hold names. */
    PASSWORD("password",
            "(?i)(?:^|[\\s{,\"'])[\\w.-]*(?:password|passwd|pwd|secret|api[_-]?key|auth[_-]?token|access[_-]?token"
                    + "|private[_-]?key|client[_-]?secret)[\\w.-]*[\"']?\\s*[:=]\\s*[\"']?(?<s>[^\\s\"',;#]{6,})",
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
     * Whether the line holds one of the fragments every secret of this kind holds: a cheap look
     * (the JVM's indexOf is vectorised) that spares most lines the pattern.
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

    /** The pattern of a one-line secret; null for the private-key block, which spans lines. */
    Pattern pattern() {
        return pattern;
    }

    /** What takes the secret's place: the text around it stays searchable. */
    public String placeholder() {
        return "[REDACTED:" + id + "]";
    }
}
