package io.samsa.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --acks}: {@code all}, {@code -1}, {@code 1} or {@code 0}, as Kafka's producer {@code acks} setting. */
final class AcksConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        return switch (value) {
            case "all", "-1", "1", "0" -> value;
            default -> throw new TypeConversionException("expected one of all, -1, 1, 0 but was '" + value + "'");
        };
    }
}
