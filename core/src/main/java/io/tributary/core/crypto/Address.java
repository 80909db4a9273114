package io.tributary.core.crypto;

import io.tributary.core.hash.Hex;
import java.util.Locale;
import java.util.Optional;

/** A 20-byte EVM account address, kept in lowercase {@code 0x} form so that equal addresses compare equal. */
public record Address(String value) implements Comparable<Address>, java.io.Serializable {
    public Address {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address: " + value);
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** Accepts any case, as users paste checksummed and lowercase addresses alike. */
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
                && Hex.isHex(text.substring(2));
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
