package io.tributary.core.crypto;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A 20-byte EVM account address, kept in lowercase {@code 0x} form so that equal addresses compare equal.
 * All-lowercase and all-uppercase hex are accepted as they are; mixed case is an EIP-55 checksum and must be
 * right, so a mistyped checksummed address is refused instead of paying the wrong account.
 */
public record Address(String value) implements Comparable<Address>, java.io.Serializable {
    public Address {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address: " + value);
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** Accepts lowercase, uppercase and correctly checksummed (EIP-55) addresses. */
    public static Optional<Address> parse(String text) {
        return isValid(text) ? Optional.of(new Address(text)) : Optional.empty();
    }

    public static Address of(String text) {
        return new Address(text);
    }

    public static Address ofBytes(byte[] twentyBytes) {
        if (twentyBytes.length != 20) {
            throw new IllegalArgumentException("an address has 20 bytes, got " + twentyBytes.length);
        }
        return new Address(Hex.encodePrefixed(twentyBytes));
    }

    public static boolean isValid(String text) {
        return text != null
                && text.length() == 42
                && (text.startsWith("0x") || text.startsWith("0X"))
                && Hex.isHex(text.substring(2))
                && checksumHolds(text.substring(2));
    }

    /** The EIP-55 mixed-case form: a hex letter is upper case when its nibble of Keccak-256(lowercase hex) is 8 or more. */
    public String checksummed() {
        return "0x" + checksum(value.substring(2));
    }

    private static boolean checksumHolds(String hex) {
        boolean hasLower = !hex.equals(hex.toUpperCase(Locale.ROOT));
        boolean hasUpper = !hex.equals(hex.toLowerCase(Locale.ROOT));
        return !(hasLower && hasUpper) || checksum(hex.toLowerCase(Locale.ROOT)).equals(hex);
    }

    private static String checksum(String lowercaseHex) {
        byte[] hash = Hashing.keccak256(lowercaseHex.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(40);
        for (int i = 0; i < lowercaseHex.length(); i++) {
            char c = lowercaseHex.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f;
            out.append(c >= 'a' && c <= 'f' && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    public byte[] bytes() {
        return Hex.decode(value);
    }

    @Override
    public int compareTo(Address other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
