package io.tributary.settlement.epoch;

import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.core.merkle.PayoutLeaves;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of one epoch, in the layout RewardDistributor verifies: leaf i is
 * keccak256(abi.encodePacked(uint256 i, address account, uint256 amount)), where i is the payout's
 * position in account order, so the same payouts always give the same root.
 */
public final class EpochTree {
    private final EpochPayouts payouts;
    private final List<byte[]> leaves;
    private final MerkleTree tree;

    private EpochTree(EpochPayouts payouts) {
        this.payouts = payouts;
        this.leaves = new ArrayList<>();
        for (int index = 0; index < payouts.payouts().size(); index++) {
            Payout payout = payouts.payouts().get(index);
            leaves.add(leaf(index, payout.account(), payout.amount()));
        }
        this.tree = MerkleTree.ofLeaves(leaves);
    }

    public static EpochTree of(EpochPayouts payouts) {
        return new EpochTree(payouts);
    }

    public static byte[] leaf(long index, Address account, BigInteger amount) {
        return PayoutLeaves.leaf(index, account, amount);
    }

    public EpochPayouts payouts() {
        return payouts;
    }

    public byte[] root() {
        return tree.root();
    }

    public String rootHex() {
        return tree.rootHex();
    }

    public List<Claim> claims() {
        List<Claim> claims = new ArrayList<>();
        for (int index = 0; index < leaves.size(); index++) {
            Payout payout = payouts.payouts().get(index);
            List<String> proof = tree.proof(leaves.get(index)).stream().map(Hex::encodePrefixed).toList();
            claims.add(new Claim(payouts.epoch(), index, payout.account(), payout.amount(), proof));
        }
        return claims;
    }

    /** What an account submits to claim its payout: the leaf's fields and the proof, as 0x hex. */
    public record Claim(long epoch, long index, Address account, BigInteger amount, List<String> proof) {
        public Claim {
            proof = List.copyOf(proof);
        }

        public List<byte[]> proofBytes() {
            return proof.stream().map(Hex::decode).toList();
        }
    }
}
