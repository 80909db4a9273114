package io.tributary.core.merkle;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Keccak-256 Merkle tree laid out as Uniswap's merkle-distributor lays it out, so that its roots
 * and proofs verify on chain: leaves sorted and de-duplicated, each pair hashed in sorted order,
 * an odd node carried up unchanged.
 */
public final class MerkleTree {
    private final List<byte[][]> layers;

    private MerkleTree(List<byte[][]> layers) {
        this.layers = layers;
    }

    /** Builds a tree over already-hashed 32-byte leaves. An empty tree has the zero root. */
    public static MerkleTree ofLeaves(List<byte[]> leaves) {
        byte[][] sorted = leaves.stream()
                .peek(MerkleTree::requireWord)
                .map(byte[]::clone)
                .sorted(Arrays::compareUnsigned)
                .toArray(byte[][]::new);
        List<byte[]> unique = new ArrayList<>();
        for (byte[] leaf : sorted) {
            if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1), leaf)) {
                unique.add(leaf);
            }
        }
        List<byte[][]> layers = new ArrayList<>();
        layers.add(unique.toArray(byte[][]::new));
        while (layers.get(layers.size() - 1).length > 1) {
            byte[][] below = layers.get(layers.size() - 1);
            byte[][] above = new byte[(below.length + 1) / 2][];
            for (int i = 0; i < below.length; i += 2) {
                above[i / 2] = i + 1 < below.length ? hashPair(below[i], below[i + 1]) : below[i];
            }
            layers.add(above);
        }
        return new MerkleTree(layers);
    }

    public static byte[] hashPair(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? Hashing.keccak256(a, b) : Hashing.keccak256(b, a);
    }

    public byte[] root() {
        byte[][] top = layers.get(layers.size() - 1);
        return top.length == 0 ? new byte[32] : top[0].clone();
    }

    public String rootHex() {
        return Hex.encodePrefixed(root());
    }

    public int leafCount() {
        return layers.get(0).length;
    }

    /** The sibling hashes from {@code leaf} up to the root; throws if the leaf is not in the tree. */
    public List<byte[]> proof(byte[] leaf) {
        byte[][] bottom = layers.get(0);
        int index = Arrays.binarySearch(bottom, leaf, Arrays::compareUnsigned);
        if (index < 0) {
            throw new IllegalArgumentException("leaf " + Hex.encodePrefixed(leaf) + " is not in the tree");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int level = 0; level < layers.size() - 1; level++) {
            byte[][] layer = layers.get(level);
            int sibling = index ^ 1;
            if (sibling < layer.length) {
                proof.add(layer[sibling].clone());
            }
            index /= 2;
        }
        return proof;
    }

    public static boolean verify(List<byte[]> proof, byte[] root, byte[] leaf) {
        byte[] computed = leaf;
        for (byte[] sibling : proof) {
            computed = hashPair(computed, sibling);
        }
        return Arrays.equals(computed, root);
    }

    private static void requireWord(byte[] leaf) {
        if (leaf.length != 32) {
            throw new IllegalArgumentException("a Merkle leaf has 32 bytes, got " + leaf.length);
        }
    }
}
