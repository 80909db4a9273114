package io.tributary.core.money;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact non-negative-or-negative fraction of two integers, always reduced with a positive denominator: the
 * unit of credit in fee splits, where floating point would lose or invent wei. Written {@code "n/d"}.
 */
public record Rational(BigInteger numerator, BigInteger denominator) implements Comparable<Rational> {
    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    public Rational {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() == 0) {
            throw new ArithmeticException("a rational's denominator must not be zero");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        if (numerator.bitLength() < 63 && denominator.bitLength() < 63) {
            // The common case (token counts, wei of one fee): Euclid on longs, far cheaper than BigInteger.gcd.
            long n = numerator.longValue();
            long d = denominator.longValue();
            long gcd = gcd(Math.abs(n), d);
            if (gcd > 1) {
                numerator = BigInteger.valueOf(n / gcd);
                denominator = BigInteger.valueOf(d / gcd);
            }
        } else {
            BigInteger gcd = numerator.gcd(denominator);
            if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
                numerator = numerator.divide(gcd);
                denominator = denominator.divide(gcd);
            }
        }
        if (numerator.signum() == 0) {
            denominator = BigInteger.ONE;
        }
    }

    /** The greatest common divisor of two non-negative longs (Euclid). */
    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public static Rational of(long numerator, long denominator) {
        return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    public static Rational of(long integer) {
        return of(integer, 1);
    }

    public static Rational of(BigInteger integer) {
        return new Rational(integer, BigInteger.ONE);
    }

    /** Parses {@code "n/d"} or {@code "n"}. */
    public static Rational parse(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? of(new BigInteger(text))
                : new Rational(new BigInteger(text.substring(0, slash)), new BigInteger(text.substring(slash + 1)));
    }

    public Rational plus(Rational other) {
        return new Rational(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    public Rational minus(Rational other) {
        return plus(other.negate());
    }

    public Rational negate() {
        return new Rational(numerator.negate(), denominator);
    }

    public Rational times(Rational other) {
        return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    public Rational times(BigInteger integer) {
        return new Rational(numerator.multiply(integer), denominator);
    }

    public Rational dividedBy(Rational other) {
        if (other.signum() == 0) {
            throw new ArithmeticException("division of " + this + " by zero");
        }
        return new Rational(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    public int signum() {
        return numerator.signum();
    }

    /** The largest integer not above this. */
    public BigInteger floor() {
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    /** This minus its floor, in [0, 1). */
    public Rational fraction() {
        return minus(of(floor()));
    }

    /** For display only (never for money). */
    public double doubleValue() {
        return new java.math.BigDecimal(numerator).divide(new java.math.BigDecimal(denominator),
                java.math.MathContext.DECIMAL64).doubleValue();
    }

    @Override
    public int compareTo(Rational other) {
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
