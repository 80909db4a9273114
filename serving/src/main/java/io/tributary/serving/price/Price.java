package io.tributary.serving.price;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A price in wei per 1,000 prompt tokens and per 1,000 completion tokens. The fee of a request is
 * {@code ceil((prompt_tokens * prompt_price + completion_tokens * completion_price) / 1000)}, in integers.
 */
public record Price(BigInteger promptWeiPer1k, BigInteger completionWeiPer1k) {
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    public Price {
        Objects.requireNonNull(promptWeiPer1k, "promptWeiPer1k");
        Objects.requireNonNull(completionWeiPer1k, "completionWeiPer1k");
        if (promptWeiPer1k.signum() < 0 || completionWeiPer1k.signum() < 0) {
            throw new IllegalArgumentException("prices are non-negative wei, not " + promptWeiPer1k + " / " + completionWeiPer1k);
        }
    }

    /** The fee in wei of a request that read {@code promptTokens} and generated {@code completionTokens}, rounded up. */
    public BigInteger fee(long promptTokens, long completionTokens) {
        BigInteger total = BigInteger.valueOf(promptTokens).multiply(promptWeiPer1k)
                .add(BigInteger.valueOf(completionTokens).multiply(completionWeiPer1k));
        BigInteger[] quotientAndRemainder = total.divideAndRemainder(THOUSAND);
        return quotientAndRemainder[1].signum() == 0 ? quotientAndRemainder[0] : quotientAndRemainder[0].add(BigInteger.ONE);
    }
}
