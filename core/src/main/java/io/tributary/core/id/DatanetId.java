package io.tributary.core.id;

import java.util.regex.Pattern;

/**
 * A Datanet's id. It becomes a path segment and part of signed messages, so it is validated
 * against {@code [a-z0-9][a-z0-9-]{0,62}} before anything uses it.
 */
public record DatanetId(String value) implements Comparable<DatanetId>, java.io.Serializable {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public DatanetId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new InvalidIdException("invalid Datanet id '" + value
                    + "': use 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    public static DatanetId of(String value) {
        return new DatanetId(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public int compareTo(DatanetId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
