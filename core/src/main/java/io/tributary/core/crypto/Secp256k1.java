package io.tributary.core.crypto;

import io.tributary.core.hash.Hashing;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** The secp256k1 curve operations the system needs: public keys, addresses and public-key recovery. */
public final class Secp256k1 {
    static final X9ECParameters CURVE_PARAMETERS = CustomNamedCurves.getByName("secp256k1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(
            CURVE_PARAMETERS.getCurve(), CURVE_PARAMETERS.getG(), CURVE_PARAMETERS.getN(), CURVE_PARAMETERS.getH());
    static final BigInteger ORDER = CURVE_PARAMETERS.getN();
    static final BigInteger HALF_ORDER = ORDER.shiftRight(1);

    private Secp256k1() {}

    static ECPoint publicPoint(BigInteger privateKey) {
        return new FixedPointCombMultiplier().multiply(DOMAIN.getG(), privateKey).normalize();
    }

    /** The EVM address of a public point: the last 20 bytes of Keccak-256 of its uncompressed x || y. */
    static Address address(ECPoint publicPoint) {
        byte[] encoded = publicPoint.getEncoded(false);
        byte[] hash = Hashing.keccak256(Arrays.copyOfRange(encoded, 1, encoded.length));
        return Address.ofBytes(Arrays.copyOfRange(hash, 12, 32));
    }

    /**
     * Recovers the public point that produced signature (r, s) over a 32-byte hash, given the parity of
     * R's y coordinate (SEC 1, section 4.1.6, for the case x = r that EVM signatures use).
     */
    static Optional<ECPoint> recover(byte[] hash, BigInteger r, BigInteger s, int yParity) {
        if (r.signum() <= 0 || r.compareTo(ORDER) >= 0 || s.signum() <= 0 || s.compareTo(ORDER) >= 0) {
            return Optional.empty();
        }
        BigInteger fieldSize = CURVE_PARAMETERS.getCurve().getField().getCharacteristic();
        if (r.compareTo(fieldSize) >= 0) {
            return Optional.empty();
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (yParity == 0 ? 0x02 : 0x03);
        byte[] x = unsigned32(r);
        System.arraycopy(x, 0, compressed, 1, 32);
        ECPoint pointR;
        try {
            pointR = CURVE_PARAMETERS.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return Optional.empty();
        }
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInverse = r.modInverse(ORDER);
        BigInteger generatorFactor = e.negate().multiply(rInverse).mod(ORDER);
        BigInteger pointFactor = s.multiply(rInverse).mod(ORDER);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), generatorFactor, pointR, pointFactor).normalize();
        return q.isInfinity() ? Optional.empty() : Optional.of(q);
    }

    static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
