package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;

/** One document of a shard: a contribution's tokens, with who contributed it. */
public record IndexedDocument(ContributionId contributionId, Address contributor, int[] tokens) {}
