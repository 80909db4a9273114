package io.tributary.core.merkle;

import io.tributary.core.hash.Hashing;
import io.tributary.core.id.ContributionId;
import java.util.Collection;

/**
 * Leaves of an ingestion batch's Merkle tree: keccak256(bytes32 contribution id), so an anchored root
 * proves a contribution with the same proof format the reward distributor uses.
 */
public final class BatchLeaves {
    private BatchLeaves() {}

    public static byte[] leaf(ContributionId id) {
        return Hashing.keccak256(id.bytes());
    }

    public static MerkleTree tree(Collection<ContributionId> ids) {
        return MerkleTree.ofLeaves(ids.stream().map(BatchLeaves::leaf).toList());
    }
}
