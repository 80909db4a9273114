package io.tributary.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RationalTest {
    @Test
    void isAlwaysReducedWithAPositiveDenominatorOnBothTheLongAndTheBigIntegerPaths() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            int bits = 1 + random.nextInt(i % 2 == 0 ? 62 : 100);
            BigInteger numerator = new BigInteger(bits, random).multiply(BigInteger.valueOf(1 + random.nextInt(12)));
            BigInteger denominator = new BigInteger(1 + random.nextInt(bits), random).add(BigInteger.ONE)
                    .multiply(BigInteger.valueOf(1 + random.nextInt(12)));
            if (random.nextBoolean()) {
                numerator = numerator.negate();
            }
            if (random.nextBoolean()) {
                denominator = denominator.negate();
            }
            Rational rational = new Rational(numerator, denominator);
            BigInteger gcd = numerator.gcd(denominator);
            BigInteger sign = BigInteger.valueOf(denominator.signum());
            assertThat(rational.denominator().signum()).isPositive();
            assertThat(rational.numerator().gcd(rational.denominator())).isEqualTo(BigInteger.ONE);
            if (numerator.signum() == 0) {
                assertThat(rational).isEqualTo(Rational.ZERO);
            } else {
                assertThat(rational.numerator()).isEqualTo(numerator.divide(gcd).multiply(sign));
                assertThat(rational.denominator()).isEqualTo(denominator.divide(gcd).abs());
            }
        }
        assertThat(Rational.of(Long.MIN_VALUE, 2)).isEqualTo(new Rational(BigInteger.TWO.pow(62).negate(), BigInteger.ONE));
        assertThat(Rational.of(6, -4)).hasToString("-3/2");
        assertThatThrownBy(() -> Rational.of(1, 0)).isInstanceOf(ArithmeticException.class);
    }
}
