package io.tributary.core.crypto;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 key pair that signs EIP-191 personal messages with deterministic (RFC 6979) nonces
 * and low s, as wallets do. The private key is never printed: {@link #toString()} shows the address only.
 */
public final class KeyPair {
    private final BigInteger privateKey;
    private final ECPoint publicPoint;
    private final Address address;

    private KeyPair(BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(Secp256k1.ORDER) >= 0) {
            throw new IllegalArgumentException("a secp256k1 private key must be in [1, n-1]");
        }
        this.privateKey = privateKey;
        this.publicPoint = Secp256k1.publicPoint(privateKey);
        this.address = Secp256k1.address(publicPoint);
    }

    public static KeyPair fromPrivateKey(String hex) {
        byte[] bytes = Hex.decode(hex.strip());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a private key has 32 bytes, got " + bytes.length);
        }
        return new KeyPair(new BigInteger(1, bytes));
    }

    /** A key derived from a seed phrase by SHA-256: for generated sample contributors, never for real funds. */
    public static KeyPair fromSeed(String seed) {
        byte[] digest = Hashing.sha256(seed.getBytes(StandardCharsets.UTF_8));
        BigInteger candidate = new BigInteger(1, digest).mod(Secp256k1.ORDER.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        return new KeyPair(candidate);
    }

    public Address address() {
        return address;
    }

    public String privateKeyHex() {
        return Hex.encodePrefixed(Secp256k1.unsigned32(privateKey));
    }

    /** The 65-byte r || s || v signature of an EIP-191 personal message, v in {27, 28}. */
    public byte[] signPersonalMessage(byte[] message) {
        byte[] hash = PersonalMessage.hash(message);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(privateKey, Secp256k1.DOMAIN));
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.compareTo(Secp256k1.HALF_ORDER) > 0) {
            s = Secp256k1.ORDER.subtract(s);
        }
        for (int parity = 0; parity < 2; parity++) {
            var recovered = Secp256k1.recover(hash, r, s, parity);
            if (recovered.isPresent() && recovered.get().equals(publicPoint)) {
                byte[] signature = new byte[65];
                System.arraycopy(Secp256k1.unsigned32(r), 0, signature, 0, 32);
                System.arraycopy(Secp256k1.unsigned32(s), 0, signature, 32, 32);
                signature[64] = (byte) (27 + parity);
                return signature;
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signing key; this is a bug");
    }

    public String signPersonalMessageHex(String message) {
        return Hex.encodePrefixed(signPersonalMessage(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPair that && Arrays.equals(
                Secp256k1.unsigned32(privateKey), Secp256k1.unsigned32(that.privateKey));
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "KeyPair[" + address + "]";
    }
}
