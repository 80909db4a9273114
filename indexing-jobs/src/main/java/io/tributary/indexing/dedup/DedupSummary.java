package io.tributary.indexing.dedup;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one dedup run found for a Datanet version (counts over that version's contributions as the corpus
 * table now records them) and what it did: rows added, LSH candidate and verified pairs, capped buckets.
 */
public record DedupSummary(
        String datanet,
        long version,
        long contributions,
        long canonical,
        @JsonProperty("normalized_duplicates") long normalizedDuplicates,
        @JsonProperty("near_duplicates") long nearDuplicates,
        long clusters,
        long added,
        @JsonProperty("candidate_pairs") long candidatePairs,
        @JsonProperty("verified_pairs") long verifiedPairs,
        @JsonProperty("capped_buckets") long cappedBuckets,
        double seconds) {

    public String describe() {
        return String.format("""
                Datanet %s at version %d: %d contributions, %d canonical
                  duplicates: %d normalized, %d near, in %d clusters
                  corpus rows added: %d (LSH: %d candidate pairs, %d verified, %d capped buckets)
                  %.1f s""", datanet, version, contributions, canonical, normalizedDuplicates, nearDuplicates,
                clusters, added, candidatePairs, verifiedPairs, cappedBuckets, seconds);
    }
}
