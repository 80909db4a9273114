package io.tributary.settlement.epoch;

import java.math.BigInteger;
import java.util.List;

/** An epoch's payouts, one per account, sorted by account, all positive. */
public record EpochPayouts(long epoch, List<Payout> payouts) {
    public EpochPayouts {
        payouts = List.copyOf(payouts);
    }

    public BigInteger total() {
        return payouts.stream().map(Payout::amount).reduce(BigInteger.ZERO, BigInteger::add);
    }
}
