package io.tributary.indexing.dedup;

import io.tributary.core.hash.Hashing;

/**
 * What dedup needs of one contribution's text: the hash of its normalized form (equal hashes are
 * {@code normalized} duplicates), its word shingles, and the LSH band keys of their MinHash signature
 * (none when the text has no words, so an empty text is nobody's near-duplicate).
 */
public record ContributionFeatures(String normalizedKey, long[] shingles, long[] bandKeys) {

    public static ContributionFeatures of(String text, DedupSettings settings, MinHasher hasher) {
        String normalized = TextNormalizer.normalize(text);
        long[] shingles = WordShingles.of(normalized, settings.shingleSize());
        long[] bandKeys = shingles.length == 0
                ? new long[0]
                : LshBands.keys(hasher.signature(shingles), settings.bands(), settings.rows());
        return new ContributionFeatures(Hashing.sha256Hex(normalized), shingles, bandKeys);
    }
}
