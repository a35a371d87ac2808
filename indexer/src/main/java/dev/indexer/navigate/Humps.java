package dev.indexer.navigate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Camel humps: the parts of a name where its writer started a new word ({@code HashMap}: Hash,
 * Map; {@code parse_http_response}: parse, http, response; {@code HTTPServer}: HTTP, Server), so
 * that {@code HM} finds {@code HashMap} and {@code getVal} finds {@code getValue}, as IDEs do.
 */
final class Humps {
    private Humps() {}

    /** The humps of a name, as written. */
    static List<String> of(String name) {
        List<String> humps = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '$' || c == '-') {
                if (start >= 0) {
                    humps.add(name.substring(start, i));
                }
                start = -1;
                continue;
            }
            if (start < 0) {
                start = i;
                continue;
            }
            char before = name.charAt(i - 1);
            boolean upperAfterLower = Character.isUpperCase(c) && !Character.isUpperCase(before);
            // "HTTPServer": the S starts a hump, the P before it ends one.
            boolean upperRunEnds = Character.isUpperCase(c) && Character.isUpperCase(before) && i + 1 < name.length()
                    && Character.isLowerCase(name.charAt(i + 1));
            boolean digitsStart = Character.isDigit(c) && !Character.isDigit(before);
            if (upperAfterLower || upperRunEnds || digitsStart) {
                humps.add(name.substring(start, i));
                start = i;
            }
        }
        if (start >= 0) {
            humps.add(name.substring(start));
        }
        return humps;
    }

    /** The first letters of a name's humps, in lower case: what a hump pattern is looked up by. */
    static String initials(String name) {
        StringBuilder out = new StringBuilder();
        for (String hump : of(name)) {
            out.append(Character.toLowerCase(hump.charAt(0)));
        }
        return out.toString();
    }

    /**
     * The parts of a pattern: a new one at each capital letter and after each {@code _}
     * ({@code HMres}: H, M, res; {@code getVal}: get, Val).
     */
    static List<String> ofPattern(String pattern) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '_' || c == '$') {
                if (part.length() > 0) {
                    parts.add(part.toString());
                    part.setLength(0);
                }
                continue;
            }
            if (Character.isUpperCase(c) && part.length() > 0) {
                parts.add(part.toString());
                part.setLength(0);
            }
            part.append(c);
        }
        if (part.length() > 0) {
            parts.add(part.toString());
        }
        return parts;
    }

    /**
     * Whether a pattern finds a name: it is a prefix of the name (case ignored), or each of its
     * parts begins the name's humps in turn, from the first ({@code HM}, {@code HaMa} and {@code
     * HMap} find {@code HashMap}; {@code Map} does not, and {@code HM} does not find {@code Hash}).
     */
    static boolean matches(String pattern, String name) {
        if (name.toLowerCase(Locale.ROOT).startsWith(pattern.toLowerCase(Locale.ROOT))) {
            return true;
        }
        List<String> parts = ofPattern(pattern);
        List<String> humps = of(name);
        if (parts.size() < 2 || parts.size() > humps.size()) {
            return false;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (!humps.get(i).toLowerCase(Locale.ROOT).startsWith(parts.get(i).toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
