package io.samsa.console;

/** Human-readable sizes for the pages. Stateless. */
final class Sizes {
    private Sizes() {
    }

    /** {@code bytes} as B, KiB, MiB, GiB or TiB with one decimal. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
