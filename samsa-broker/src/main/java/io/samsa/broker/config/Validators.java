package io.samsa.broker.config;

import java.util.List;
import java.util.Set;

/** Kafka's standard validators ({@code ConfigDef.Range}, {@code ValidString}, {@code ValidList}) with its wording. */
public final class Validators {
    private Validators() {
    }

    /** A number that is at least {@code min}: "Value must be at least 1". */
    public static Validator atLeast(Number min) {
        return between(min, null);
    }

    /** A number within {@code [min, max]}; either bound may be null (open). */
    public static Validator between(Number min, Number max) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                double v = ((Number) value).doubleValue();
                if (min != null && v < min.doubleValue()) {
                    throw new ConfigException(key, value, "Value must be at least " + min);
                }
                if (max != null && v > max.doubleValue()) {
                    throw new ConfigException(key, value, "Value must be no more than " + max);
                }
            }

            @Override
            public String describe() {
                return "[" + (min == null ? "..." : min + ",...") + (max == null ? "]" : "," + max + "]");
            }

            @Override
            public String toString() {
                return describe();
            }
        };
    }

    /** A string that is one of {@code allowed} (case-sensitive, as Kafka's {@code ValidString}). */
    public static Validator oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return describe(values.toString(), (key, value) -> {
            if (!values.contains((String) value)) {
                throw new ConfigException(key, value, "String must be one of: " + String.join(", ", values));
            }
        });
    }

    /** A list whose every element is one of {@code allowed}, without duplicates (Kafka's {@code ValidList.in}). */
    public static Validator listOf(String... allowed) {
        List<String> values = List.of(allowed);
        return describe(values.toString(), (key, value) -> {
            List<?> items = (List<?>) value;
            for (Object item : items) {
                if (!values.contains(item)) {
                    throw new ConfigException(key, String.join(",", asStrings(items)),
                            "String must be one of: " + String.join(", ", values));
                }
            }
            if (Set.copyOf(items).size() != items.size()) {
                throw new ConfigException(key, String.join(",", asStrings(items)), "Values must not be duplicated");
            }
        });
    }

    /** A list with at least one element. */
    public static Validator nonEmptyList() {
        return describe("non-empty list", (key, value) -> {
            if (((List<?>) value).isEmpty()) {
                throw new ConfigException(key, "", "Empty list is not allowed");
            }
        });
    }

    private static List<String> asStrings(List<?> items) {
        return items.stream().map(String::valueOf).toList();
    }

    /** {@code validator} with the given {@link Validator#describe description}, e.g. {@code [1,...,9] or -1}. */
    public static Validator describe(String description, Validator validator) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                validator.ensureValid(key, value);
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
