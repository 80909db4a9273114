package io.tributary.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(Hashing.keccak256(("leaf " + i).getBytes()));
        }
        return leaves;
    }

    @Test
    void everyLeafProvesAgainstTheRootForManySizes() {
        for (int size = 1; size <= 33; size++) {
            List<byte[]> leaves = leaves(size);
            MerkleTree tree = MerkleTree.ofLeaves(leaves);
            for (byte[] leaf : leaves) {
                assertThat(MerkleTree.verify(tree.proof(leaf), tree.root(), leaf)).as("size %d", size).isTrue();
            }
        }
    }

    @Test
    void rootDoesNotDependOnLeafOrderOrRepeats() {
        List<byte[]> leaves = leaves(10);
        List<byte[]> shuffled = new ArrayList<>(leaves);
        Collections.reverse(shuffled);
        shuffled.add(leaves.get(3));
        assertThat(MerkleTree.ofLeaves(shuffled).root()).isEqualTo(MerkleTree.ofLeaves(leaves).root());
    }

    @Test
    void twoLeavesHashInSortedOrder() {
        List<byte[]> leaves = leaves(2);
        byte[] low = Arrays.compareUnsigned(leaves.get(0), leaves.get(1)) < 0 ? leaves.get(0) : leaves.get(1);
        byte[] high = low == leaves.get(0) ? leaves.get(1) : leaves.get(0);
        assertThat(MerkleTree.ofLeaves(leaves).root()).isEqualTo(Hashing.keccak256(low, high));
    }

    @Test
    void aSingleLeafIsItsOwnRootAndAnEmptyTreeHasTheZeroRoot() {
        byte[] leaf = leaves(1).get(0);
        assertThat(MerkleTree.ofLeaves(List.of(leaf)).root()).isEqualTo(leaf);
        assertThat(MerkleTree.ofLeaves(List.of()).root()).isEqualTo(new byte[32]);
    }

    @Test
    void aTamperedProofOrForeignLeafFails() {
        List<byte[]> leaves = leaves(9);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        List<byte[]> proof = new ArrayList<>(tree.proof(leaves.get(4)));
        proof.set(0, Hashing.keccak256(proof.get(0)));
        assertThat(MerkleTree.verify(proof, tree.root(), leaves.get(4))).isFalse();
        byte[] foreign = Hashing.keccak256("not a leaf".getBytes());
        assertThat(MerkleTree.verify(tree.proof(leaves.get(4)), tree.root(), foreign)).isFalse();
        assertThatThrownBy(() -> tree.proof(foreign)).hasMessageContaining("is not in the tree");
    }
}
