package io.samsa.console;

/** What a page handler answers: a page, a redirect after a POST (303, Post/Redirect/Get) or an SVG image. */
sealed interface Response {
    /** An HTML page with its status code. */
    record Page(int status, String html) implements Response {
    }

    /** A 303 See Other to {@code location} (a path of the console, already URL-encoded). */
    record Redirect(String location) implements Response {
    }

    /** An {@code image/svg+xml} document. */
    record Svg(String svg) implements Response {
    }

    static Response ok(String html) {
        return new Page(200, html);
    }
}
