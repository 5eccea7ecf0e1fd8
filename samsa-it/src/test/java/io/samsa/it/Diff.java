package io.samsa.it;

import java.util.List;

/** Compares long sequences and reports the first difference instead of dumping both lists. */
final class Diff {
    private Diff() {
    }

    static <T> void assertSameSequence(String what, List<T> actual, List<T> expected) {
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                throw new AssertionError(what + ": first difference at index " + i + " (of " + actual.size()
                        + " read, " + expected.size() + " expected)\n  read:     " + actual.get(i)
                        + "\n  expected: " + expected.get(i)
                        + (i + 1 < n ? "\n  next read:     " + actual.get(i + 1) + "\n  next expected: " + expected.get(i + 1) : ""));
            }
        }
        if (actual.size() != expected.size()) {
            throw new AssertionError(what + ": read " + actual.size() + " records, expected " + expected.size()
                    + (actual.size() > n ? "; first extra: " + actual.get(n) : "; first missing: " + expected.get(n)));
        }
    }
}
