package io.tributary.core.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL as it may appear in logs, errors and files: scheme, host and port only. Providers put API keys in the
 * user info ({@code https://user:key@host}), the path ({@code /v3/<key>}) or the query ({@code ?apikey=}), so all
 * three are replaced by {@code ***}; a URL without them (a local node) is unchanged.
 */
public final class RedactedUrl {
    public static final String MARK = "***";

    private RedactedUrl() {}

    public static String of(String url) {
        if (url == null || url.isBlank()) {
            return url;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return MARK;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return MARK;
        }
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(MARK).append('@');
        }
        out.append(uri.getHost());
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            out.append('/').append(MARK);
        } else if (path != null) {
            out.append(path);
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(MARK);
        }
        return out.toString();
    }

    /** True when {@link #of} would hide something: the URL carries what may be a credential. */
    public static boolean hidesSomething(String url) {
        return url != null && !of(url).equals(url.strip());
    }
}
