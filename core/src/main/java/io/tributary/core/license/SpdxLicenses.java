package io.tributary.core.license;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The SPDX license identifiers a contribution may carry, from the list shipped in {@code spdx-license-ids.txt}. */
public final class SpdxLicenses {
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
    private static final Set<String> IDS = load();

    private SpdxLicenses() {}

    /** True for a listed SPDX id (exact case, as SPDX ids are written) or a {@code LicenseRef-} id. */
    public static boolean isKnown(String id) {
        return id != null && (IDS.contains(id) || LICENSE_REF.matcher(id).matches());
    }

    public static Set<String> ids() {
        return IDS;
    }

    private static Set<String> load() {
        try (InputStream in = SpdxLicenses.class.getClassLoader().getResourceAsStream("spdx-license-ids.txt")) {
            if (in == null) {
                throw new IllegalStateException("spdx-license-ids.txt is missing from the classpath");
            }
            Set<String> ids = new TreeSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
            return Collections.unmodifiableSet(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
