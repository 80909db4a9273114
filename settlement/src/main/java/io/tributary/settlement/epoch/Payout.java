package io.tributary.settlement.epoch;

import io.tributary.core.crypto.Address;
import java.math.BigInteger;

/** What one account is owed in one epoch, in the token's smallest unit. */
public record Payout(Address account, BigInteger amount) {
    public Payout {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a payout amount cannot be negative: " + amount);
        }
    }
}
