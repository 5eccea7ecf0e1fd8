package io.samsa.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One console request: the method, the decoded path and the parameters of the query string and, for a POST, of its
 * {@code application/x-www-form-urlencoded} body (the body's win). Immutable.
 *
 * @param method {@code GET} or {@code POST} (others are refused before a request is built)
 * @param segments the path's segments, each decoded on its own (a group id may hold {@code /}), e.g.
 *                 {@code [topics, orders]} for {@code /topics/orders}; empty for {@code /}
 * @param params   the parameters, last value of each name
 */
record Request(String method, List<String> segments, Map<String, String> params) {
    /** The largest POST body read, in bytes: forms are small. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    Request {
        segments = List.copyOf(segments);
        params = Map.copyOf(params);
    }

    static Request of(String method, String rawPath, String rawQuery, String body) {
        Map<String, String> params = new HashMap<>();
        parse(rawQuery, params);
        parse(body, params);
        List<String> segments = Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        return new Request(method, segments, params);
    }

    private static void parse(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(name, value);
        }
    }

    boolean isPost() {
        return "POST".equals(method);
    }

    /** The parameter's value, trimmed; empty when absent. */
    String param(String name) {
        String v = params.get(name);
        return v == null ? "" : v.trim();
    }

    /** The parameter's value without trimming (message keys may have spaces); empty when absent. */
    String raw(String name) {
        return params.getOrDefault(name, "");
    }

    /** The parameter as an int, {@code fallback} when absent or not a number. */
    int intParam(String name, int fallback) {
        try {
            return param(name).isEmpty() ? fallback : Integer.parseInt(param(name));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
