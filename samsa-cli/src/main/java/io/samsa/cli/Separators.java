package io.samsa.cli;

/** Separator arguments: {@code \t}, {@code \n}, {@code \r} and {@code \\} are unescaped so a tab is easy to type. */
final class Separators {
    private Separators() {
    }

    /** {@code raw} with the escapes above replaced; other characters kept as given. */
    static String unescape(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(i + 1);
                switch (next) {
                    case 't' -> sb.append('\t');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case '\\' -> sb.append('\\');
                    default -> {
                        sb.append(c).append(next);
                    }
                }
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
