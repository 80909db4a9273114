package io.tributary.core.money;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an integer amount in proportion to exact weights with the largest-remainder (Hamilton) method: each
 * part is the floor of its exact share, and the few units left go one each to the largest fractional
 * remainders, ties to the key that sorts first. The parts always sum to the amount.
 */
public final class LargestRemainder {
    private LargestRemainder() {}

    /**
     * The parts of {@code amount} (>= 0) for {@code weights} (>= 0, at least one positive), in the order of
     * {@code tieOrder}; keys of weight zero get zero.
     */
    public static <K> Map<K, BigInteger> split(BigInteger amount, Map<K, Rational> weights, Comparator<? super K> tieOrder) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("cannot split a negative amount " + amount);
        }
        Rational total = Rational.ZERO;
        for (Map.Entry<K, Rational> entry : weights.entrySet()) {
            if (entry.getValue().signum() < 0) {
                throw new IllegalArgumentException("weight of " + entry.getKey() + " is negative: " + entry.getValue());
            }
            total = total.plus(entry.getValue());
        }
        if (total.signum() == 0) {
            throw new IllegalArgumentException("cannot split " + amount + " over weights that are all zero");
        }
        List<K> keys = new ArrayList<>(weights.keySet());
        keys.sort(tieOrder);
        Map<K, BigInteger> parts = new LinkedHashMap<>();
        Map<K, Rational> remainders = new LinkedHashMap<>();
        BigInteger given = BigInteger.ZERO;
        for (K key : keys) {
            Rational exact = weights.get(key).dividedBy(total).times(amount);
            BigInteger floor = exact.floor();
            parts.put(key, floor);
            remainders.put(key, exact.fraction());
            given = given.add(floor);
        }
        int left = amount.subtract(given).intValueExact();
        if (left > 0) {
            List<K> byRemainder = new ArrayList<>(keys);
            // Stable sort over keys already in tie order: equal remainders keep the lower key first.
            byRemainder.sort(Comparator.comparing(remainders::get, Comparator.reverseOrder()));
            for (int i = 0; i < left; i++) {
                K key = byRemainder.get(i);
                parts.put(key, parts.get(key).add(BigInteger.ONE));
            }
        }
        return parts;
    }

    /** As {@link #split(BigInteger, Map, Comparator)} with keys in their natural order. */
    public static <K extends Comparable<? super K>> Map<K, BigInteger> split(BigInteger amount, Map<K, Rational> weights) {
        return split(amount, weights, Comparator.naturalOrder());
    }
}
