package io.tributary.core.crypto;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * EIP-191 version 0x45 messages, the ones wallets sign with {@code personal_sign} and
 * {@code cast wallet sign}: Keccak-256 of "\x19Ethereum Signed Message:\n" + length + message.
 */
public final class PersonalMessage {
    private static final byte[] PREFIX = "\u0019Ethereum Signed Message:\n".getBytes(StandardCharsets.UTF_8);

    private PersonalMessage() {}

    public static byte[] hash(byte[] message) {
        byte[] length = Integer.toString(message.length).getBytes(StandardCharsets.UTF_8);
        return Hashing.keccak256(PREFIX, length, message);
    }

    public static byte[] hash(String message) {
        return hash(message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The address whose key signed {@code message}, or empty when the signature is not 65 bytes
     * (r || s || v, v in {0, 1, 27, 28}), is not canonical (s above half the curve order: for every signature
     * (r, s) the twin (r, n - s) also verifies, so only low s is accepted, as OpenZeppelin's ECDSA does) or
     * recovers no key.
     */
    public static Optional<Address> recoverSigner(String message, String signatureHex) {
        byte[] signature;
        try {
            signature = Hex.decode(signatureHex);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return recoverSigner(message.getBytes(StandardCharsets.UTF_8), signature);
    }

    public static Optional<Address> recoverSigner(byte[] message, byte[] signature) {
        if (signature.length != 65) {
            return Optional.empty();
        }
        int v = signature[64] & 0xff;
        int parity;
        if (v == 27 || v == 28) {
            parity = v - 27;
        } else if (v == 0 || v == 1) {
            parity = v;
        } else {
            return Optional.empty();
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(Secp256k1.HALF_ORDER) > 0) {
            return Optional.empty();
        }
        Optional<ECPoint> key = Secp256k1.recover(hash(message), r, s, parity);
        return key.map(Secp256k1::address);
    }
}
