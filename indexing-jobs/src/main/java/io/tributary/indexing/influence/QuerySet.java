package io.tributary.indexing.influence;

import io.tributary.core.id.DatanetId;
import java.util.Locale;

/**
 * What the training contributions are scored against: the adapter's held-out eval contributions, its completions in
 * the inference log, the contributions of another (validation) Datanet, or each training contribution itself
 * (self-influence, a diagnostic for suspicious contributions). {@code datanet} is set for {@link Kind#DATANET} only.
 */
public record QuerySet(Kind kind, String datanet) {
    /** The four sources of queries. */
    public enum Kind { EVAL, LOG, DATANET, SELF }

    public static final QuerySet EVAL = new QuerySet(Kind.EVAL, null);
    public static final QuerySet LOG = new QuerySet(Kind.LOG, null);
    public static final QuerySet SELF = new QuerySet(Kind.SELF, null);

    public QuerySet {
        if (kind == Kind.DATANET) {
            if (!DatanetId.isValid(datanet)) {
                throw new InfluenceException("--queries datanet:ID needs a Datanet id (a-z, 0-9, '-'), got '" + datanet + "'");
            }
        } else if (datanet != null) {
            throw new InfluenceException("only --queries datanet:ID names a Datanet");
        }
    }

    /** The clean held-out contributions of Datanet {@code id} (at its latest version) as queries. */
    public static QuerySet datanet(String id) {
        return new QuerySet(Kind.DATANET, id);
    }

    /** As recorded in the {@code query_set} column: {@code eval}, {@code log}, {@code self} or {@code datanet:ID}. */
    public String label() {
        String kindLabel = kind.name().toLowerCase(Locale.ROOT);
        return kind == Kind.DATANET ? kindLabel + ":" + datanet : kindLabel;
    }

    public static QuerySet parse(String text) {
        if (text != null && text.startsWith("datanet:")) {
            return datanet(text.substring("datanet:".length()));
        }
        for (QuerySet set : new QuerySet[] {EVAL, LOG, SELF}) {
            if (set.label().equals(text)) {
                return set;
            }
        }
        throw new InfluenceException("unknown query set '" + text + "'; expected eval, log, self or datanet:ID");
    }
}
