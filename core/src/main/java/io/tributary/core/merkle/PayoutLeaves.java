package io.tributary.core.merkle;

import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import java.math.BigInteger;

/**
 * Leaves of an epoch's payout tree, as the RewardDistributor contract verifies them:
 * keccak256(abi.encodePacked(uint256 index, address account, uint256 amount)). Settlement builds epochs with it;
 * auditors (the operations module) verify a recorded proof with it.
 */
public final class PayoutLeaves {
    private PayoutLeaves() {}

    public static byte[] leaf(long index, Address account, BigInteger amount) {
        return Hashing.keccak256(word(BigInteger.valueOf(index)), account.bytes(), word(amount));
    }

    /** A non-negative integer as a 32-byte big-endian word (uint256). */
    public static byte[] word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        byte[] bytes = value.toByteArray();
        byte[] word = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, word, 32 - length, length);
        return word;
    }
}
