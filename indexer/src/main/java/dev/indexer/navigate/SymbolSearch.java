package dev.indexer.navigate;

import dev.indexer.chunk.Symbol;
import dev.indexer.navigate.Navigation.Found;
import dev.indexer.navigate.Navigation.Match;
import dev.indexer.store.PathGlob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;

/**
 * Definitions by name, in tiers: the qualified name exact, the name exact (as written, then in
 * any case), then prefixes and camel humps, shorter names first; a query's owner part ({@code
 * HM} in {@code HM.res}) filters every tier. Each tier is a term or prefix query over the
 * navigation index's definition documents, checked exactly on what it returns.
 */
final class SymbolSearch {
    /** Letters, digits, '_' and '$' make a name; '.', '#' or '::' join the names of its containers. */
    private static final Pattern QUERY = Pattern.compile("[\\p{L}\\p{N}_$~]+(\\.[\\p{L}\\p{N}_$~]+)*");
    /** Definitions a partial lookup looks at, at most, to find those whose humps match. */
    private static final int MAX_EXAMINED = 4000;
    private static final Sort BY_LENGTH = new Sort(new SortField(NavigationDocs.NAME_LENGTH, SortField.Type.INT),
            new SortField(NavigationDocs.PATH_ORDER, SortField.Type.STRING), SortField.FIELD_DOC);
    private static final Sort BY_PATH = NavigationDocs.BY_PATH;

    private SymbolSearch() {}

    static List<Found> find(IndexSearcher searcher, List<String> parts, Optional<String> kind,
            Optional<String> language, Optional<PathGlob> path, int limit) throws IOException {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.SYMBOL)), Occur.FILTER);
        kind.ifPresent(k -> filter.add(new TermQuery(new Term(NavigationDocs.KIND, k.toLowerCase(Locale.ROOT))),
                Occur.FILTER));
        language.ifPresent(l -> filter.add(new TermQuery(new Term(NavigationDocs.LANGUAGE, l.toLowerCase(Locale.ROOT))),
                Occur.FILTER));
        path.ifPresent(glob -> filter.add(new RegexpQuery(new Term(NavigationDocs.PATH, glob.luceneRegexp())),
                Occur.FILTER));
        String name = parts.get(parts.size() - 1);
        String nameLc = NavigationDocs.lower(name);
        Optional<String> owner = parts.size() > 1 ? Optional.of(parts.get(parts.size() - 2)) : Optional.empty();
        {
            List<Found> found = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            StoredFields fields = searcher.storedFields();
            if (parts.size() > 1) {
                Query exact = and(filter, new TermQuery(new Term(NavigationDocs.QUALIFIED_LC,
                        NavigationDocs.lower(String.join(".", parts)))));
                collect(searcher, fields, exact, BY_PATH, Match.QUALIFIED, s -> true, limit, found, seen);
            }
            // The name as written before other cases of it: Ledger the class before ledger the field.
            for (Term term : List.of(new Term(NavigationDocs.NAME_EXACT, name), new Term(NavigationDocs.NAME_LC, nameLc))) {
                BooleanQuery.Builder byName = copy(filter).add(new TermQuery(term), Occur.FILTER);
                owner.ifPresent(o -> byName.add(ownerQuery(o), Occur.FILTER));
                collect(searcher, fields, byName.build(), BY_PATH, Match.NAME, s -> chainMatches(parts, s), limit,
                        found, seen);
            }
            BooleanQuery.Builder partial = copy(filter);
            BooleanQuery.Builder names = new BooleanQuery.Builder()
                    .add(new PrefixQuery(new Term(NavigationDocs.NAME_LC, nameLc)), Occur.SHOULD);
            List<String> humps = Humps.ofPattern(name);
            if (humps.size() > 1) {
                names.add(humpsQuery(NavigationDocs.HUMPS, NavigationDocs.NAME_LC, humps), Occur.SHOULD);
            }
            partial.add(names.build(), Occur.FILTER);
            owner.ifPresent(o -> partial.add(ownerQuery(o), Occur.FILTER));
            collect(searcher, fields, partial.build(), BY_LENGTH, Match.PARTIAL,
                    s -> Humps.matches(name, s.name()) && chainMatches(parts, s), limit, found, seen);
            return found;
        }
    }


    private static String initials(List<String> humps) {
        StringBuilder out = new StringBuilder();
        humps.forEach(h -> out.append(Character.toLowerCase(h.charAt(0))));
        return out.toString();
    }

    /** Owners whose name begins with the pattern, or whose humps it begins; checked exactly after. */
    private static Query ownerQuery(String owner) {
        BooleanQuery.Builder q = new BooleanQuery.Builder()
                .add(new PrefixQuery(new Term(NavigationDocs.OWNER_LC, NavigationDocs.lower(owner))), Occur.SHOULD);
        List<String> humps = Humps.ofPattern(owner);
        if (humps.size() > 1) {
            q.add(humpsQuery(NavigationDocs.OWNER_HUMPS, NavigationDocs.OWNER_LC, humps), Occur.SHOULD);
        }
        return q.build();
    }

    /**
     * Names whose humps' initials begin with the pattern's and whose first hump begins with its
     * first part: the initials alone ({@code sc} for {@code synchronizeChildren}) match tens of
     * thousands of names of the JDK, each then read and checked.
     */
    private static Query humpsQuery(String initialsField, String nameField, List<String> parts) {
        return new BooleanQuery.Builder()
                .add(new PrefixQuery(new Term(initialsField, initials(parts))), Occur.FILTER)
                .add(new PrefixQuery(new Term(nameField, NavigationDocs.lower(parts.get(0)))), Occur.FILTER).build();
    }

    /**
     * Whether the query's parts before the name find the definition's qualified name: the part
     * right before the name its owner, each earlier one some name further out, in order.
     */
    private static boolean chainMatches(List<String> parts, Symbol symbol) {
        if (parts.size() < 2) {
            return true;
        }
        List<String> chain = new ArrayList<>(List.of(symbol.qualifiedName().split("\\.")));
        chain.remove(chain.size() - 1);
        List<String> containers = symbol.containers();
        if (containers.isEmpty() || !Humps.matches(parts.get(parts.size() - 2), containers.get(containers.size() - 1))) {
            return false;
        }
        int at = chain.size() - 1;
        for (int i = parts.size() - 3; i >= 0; i--) {
            at--;
            while (at >= 0 && !Humps.matches(parts.get(i), chain.get(at))) {
                at--;
            }
            if (at < 0) {
                return false;
            }
        }
        return true;
    }

    private interface SymbolCheck {
        boolean test(Symbol symbol);
    }

    /** Adds the definitions {@code query} finds, in {@code sort}'s order, that pass {@code check}, up to {@code limit} in all. */
    private static void collect(IndexSearcher searcher, StoredFields fields, Query query, Sort sort, Match match,
            SymbolCheck check, int limit, List<Found> found, Set<Integer> seen) throws IOException {
        FieldDoc after = null;
        int examined = 0;
        while (found.size() < limit && examined < MAX_EXAMINED) {
            int page = Math.min(MAX_EXAMINED - examined, Math.max(64, 2 * (limit - found.size())));
            TopFieldDocs top = after == null ? searcher.search(query, page, sort)
                    : (TopFieldDocs) searcher.searchAfter(after, query, page, sort);
            for (ScoreDoc hit : top.scoreDocs) {
                examined++;
                if (found.size() >= limit) {
                    return;
                }
                if (!seen.add(hit.doc)) {
                    continue;
                }
                Document doc = fields.document(hit.doc);
                Symbol symbol = NavigationDocs.symbol(doc);
                if (check.test(symbol)) {
                    found.add(new Found(doc.get(NavigationDocs.PATH), doc.get(NavigationDocs.LANGUAGE), symbol, match));
                }
            }
            if (top.scoreDocs.length < page) {
                return;
            }
            after = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
        }
    }

    /** The query as names: {@code a.b::c#d()} is a, b, c, d. */
    static List<String> queryParts(String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            throw new IllegalArgumentException("the symbol name is empty: give a name such as resize or HashMap.resize");
        }
        if (q.length() > Navigation.MAX_NAME_CHARS) {
            throw new IllegalArgumentException("the symbol name is " + q.length() + " characters long; at most "
                    + Navigation.MAX_NAME_CHARS + " are taken");
        }
        if (q.endsWith("()")) {
            q = q.substring(0, q.length() - 2);
        }
        q = q.replace("::", ".").replace("#", ".").replace("->", ".");
        if (!QUERY.matcher(q).matches()) {
            throw new IllegalArgumentException("'" + query.strip() + "' is not a symbol name: use letters, digits, '_'"
                    + " and '$', with '.', '#' or '::' between the names of its containers (HashMap.resize, HM.res);"
                    + " wildcards and regular expressions are not taken");
        }
        return List.of(q.split("\\."));
    }

    static void checkKind(String kind) {
        if (!Symbol.KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown kind '" + kind + "'; the kinds are " + String.join(", ", Symbol.KINDS));
        }
    }

    private static BooleanQuery.Builder copy(BooleanQuery.Builder filter) {
        BooleanQuery.Builder out = new BooleanQuery.Builder();
        filter.build().clauses().forEach(out::add);
        return out;
    }

    private static Query and(BooleanQuery.Builder filter, Query query) {
        return copy(filter).add(query, Occur.FILTER).build();
    }
}
