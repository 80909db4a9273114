package io.tributary.core.index;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the maximal spans of one query over a set of shards, searching only where a span can still start.
 *
 * <p>The definition (OLMoTrace's): let {@code longest(i)} be the longest prefix of the query's suffix at {@code i}
 * that occurs in any shard; position {@code i} starts a span when {@code longest(i) >= minTokens} and its end
 * {@code i + longest(i)} passes the end of every span started before it. So a position only matters if
 * {@code longest(i) >= need(i) = max(minTokens, reach - i + 1)}, where reach is the last span's end, and a shard can
 * only supply that if it holds every gram of {@code query[i, i + need(i))}. A {@link GramFilter} of all shards' grams
 * rules most positions out with two lookups (the first gram and the last), and one per shard most shards of the
 * rest; inside a found span the last gram straddles the
 * span's end and is the same for every position, so it is looked up once. Only shards the filters cannot rule out
 * are binary-searched, and the result is exactly the exhaustive definition's.
 *
 * <p>Inside a found span ending at {@code reach}, the positions up to {@code reach - minTokens + 1} all need the same
 * end: position {@code i} starts a span exactly when {@code query[i, reach + 1)} occurs, and when it does for
 * {@code i} it does for every later start (a suffix of an occurrence occurs). So the finder gallops then bisects over
 * those positions for the first one that does, a few suffix-array searches per span where it could spend one per
 * position (the filters turn those positions away when the span's last gram occurs nowhere else; when it does, as in
 * boilerplate with a one-word variant, or without filters, each of them would be searched).
 */
final class SpanFinder {
    private static final byte UNKNOWN = 0;
    private static final byte PRESENT = 1;
    private static final byte ABSENT = 2;

    /**
     * A span of query tokens {@code [start, end)} and, per shard, the suffix-array ranks {@code [first, last)} of its
     * occurrences there (narrowed from the search that found it, so no second whole search is needed).
     */
    record Found(int start, int end, long[][] ranges) {}

    private static final long[] NONE = {0, 0};

    private final List<Shard> shards;
    private final int[] query;
    /** Per shard, then the all-shards filter last (index {@code shards.size()}); null where none is usable. */
    private final GramFilter[] filters;
    private final long[][] hashes;
    private final byte[][] grams;
    private final int anyShard;
    /** Per shard: the comparisons of its last search, and what it found (-1: the filters ruled the shard out). */
    private final Shard.Probes[] probes;
    private final int[] shardLongest;
    /** The occurrence ranges of the span {@link #firstReaching} last accepted. */
    private long[][] acceptedRanges;
    /** Keeps {@link GramFilter#touch}'s reads alive: a store to a static field is never optimized away. */
    private static long touched;

    /**
     * Uses the all-shards filter {@code anyShardFilter} (may be null) and each shard's filter whose grams are no
     * longer than {@code minTokens} (a longer one proves nothing).
     */
    SpanFinder(List<Shard> shards, GramFilter anyShardFilter, int[] query, int minTokens) {
        this.shards = shards;
        this.query = query;
        this.anyShard = shards.size();
        this.probes = new Shard.Probes[shards.size()];
        for (int s = 0; s < probes.length; s++) {
            probes[s] = new Shard.Probes();
        }
        this.shardLongest = new int[shards.size()];
        this.filters = new GramFilter[shards.size() + 1];
        this.hashes = new long[filters.length][];
        this.grams = new byte[filters.length][];
        for (int s = 0; s < filters.length; s++) {
            GramFilter filter = s == anyShard ? anyShardFilter : shards.get(s).gramFilter();
            if (filter == null || filter.gramTokens() > minTokens) {
                continue;
            }
            filters[s] = filter;
            grams[s] = new byte[query.length];
            // The filters of one index share a gram length; hash the query once per length.
            for (int other = 0; other < s; other++) {
                if (filters[other] != null && filters[other].gramTokens() == filter.gramTokens()) {
                    hashes[s] = hashes[other];
                    break;
                }
            }
            if (hashes[s] == null) {
                hashes[s] = GramFilter.hashes(query, filter.gramTokens());
            }
        }
        if (filters[anyShard] != null) {
            // Nearly every position asks the all-shards filter: bring its blocks in all at once.
            touched = filters[anyShard].touch(hashes[anyShard]);
        }
    }

    /** The maximal spans of at least {@code minTokens} tokens, in query order (occurrence counts not applied). */
    List<Found> find(int minTokens) {
        List<Found> found = new ArrayList<>();
        int m = query.length;
        int reach = 0;
        for (int i = 0; i < m; i++) {
            int need = Math.max(minTokens, reach - i + 1);
            if (i + need > m) {
                break; // i + need only grows with i: no later position can start a span either
            }
            if (reach > i && need == reach - i + 1 && need > minTokens) {
                // Inside a found span every position up to reach - minTokens + 1 needs the same end, reach + 1: it
                // starts a span exactly when query[i, reach + 1) occurs, and if that occurs so does every suffix of
                // it. So the first such position is found by a galloping then a binary search over positions,
                // a few searches where one per position was spent before.
                int last = reach - minTokens + 1;
                long reached = firstReaching(i, last, reach + 1);
                if (reached < 0) {
                    i = last; // none of [i, last] starts a span
                    continue;
                }
                int accepted = (int) (reached >>> 32);
                int longest = (int) reached;
                found.add(new Found(accepted, accepted + longest, acceptedRanges));
                reach = accepted + longest;
                i = accepted;
                continue;
            }
            int longest = longest(i, need);
            if (longest >= need) {
                found.add(new Found(i, i + longest, ranges(i, longest)));
                reach = i + longest;
            }
        }
        return found;
    }

    /**
     * The first position {@code p} of {@code [from, last]} at which {@code query[p, end)} occurs in some shard, in the
     * high half, with {@link #longest} there in the low half; -1 when there is none. Relies on occurrence being
     * inherited by every later start (a suffix of an occurrence occurs). Tries from, from + 1, from + 3, from + 7, ...
     * up to last, then bisects the last gap.
     */
    private long firstReaching(int from, int last, int end) {
        int rejectedUpTo = from - 1; // every position of [from, rejectedUpTo] is known not to reach end
        int accepted;
        int acceptedLongest;
        int step = 1;
        int probe = from;
        while (true) {
            int longest = longest(probe, end - probe);
            if (longest >= end - probe) {
                accepted = probe;
                acceptedLongest = longest;
                acceptedRanges = ranges(probe, longest);
                break;
            }
            rejectedUpTo = probe;
            if (probe == last) {
                return -1;
            }
            probe = Math.min(last, probe + step);
            step *= 2;
        }
        int low = rejectedUpTo + 1;
        while (low < accepted) {
            int middle = (low + accepted) >>> 1;
            int longest = longest(middle, end - middle);
            if (longest >= end - middle) {
                accepted = middle;
                acceptedLongest = longest;
                acceptedRanges = ranges(middle, longest);
            } else {
                low = middle + 1;
            }
        }
        return (long) accepted << 32 | acceptedLongest;
    }

    /**
     * The longest prefix of {@code query[i, m)} that occurs in any shard, when it may be {@code need} tokens or more;
     * 0 or a shorter length otherwise (the filters rule out the shards that cannot hold {@code need} tokens).
     */
    private int longest(int i, int need) {
        if (!mayHold(anyShard, i, i + need)) {
            return 0; // one lookup rules out every shard
        }
        int longest = 0;
        for (int s = 0; s < shards.size(); s++) {
            shardLongest[s] = -1;
            if (mayHold(s, i, i + need)) {
                shardLongest[s] = shards.get(s).longestPrefixMatch(query, i, query.length, probes[s]);
                longest = Math.max(longest, shardLongest[s]);
            }
        }
        return longest;
    }

    /**
     * Per shard, the ranks of the occurrences of {@code query[i, i + longest)}, where {@code longest} is what
     * {@link #longest} just returned for {@code i}: only shards whose own match is that long hold it.
     */
    private long[][] ranges(int i, int longest) {
        long[][] ranges = new long[shards.size()][];
        for (int s = 0; s < ranges.length; s++) {
            ranges[s] = shardLongest[s] == longest ? shards.get(s).rangeOfMatch(query, i, longest, probes[s]) : NONE;
        }
        return ranges;
    }

    /**
     * False when shard {@code s}'s filter (the all-shards filter for {@code s == shards.size()}) proves
     * {@code query[from, to)} occurs nowhere in it.
     */
    private boolean mayHold(int s, int from, int to) {
        GramFilter filter = filters[s];
        if (filter == null || to - from < filter.gramTokens()) {
            return true;
        }
        // The last gram first: inside a found span it is the same gram at every position, remembered.
        return gramPresent(s, to - filter.gramTokens()) && gramPresent(s, from);
    }

    private boolean gramPresent(int s, int at) {
        byte known = grams[s][at];
        if (known == UNKNOWN) {
            known = filters[s].mayContain(hashes[s][at]) ? PRESENT : ABSENT;
            grams[s][at] = known;
        }
        return known == PRESENT;
    }
}
