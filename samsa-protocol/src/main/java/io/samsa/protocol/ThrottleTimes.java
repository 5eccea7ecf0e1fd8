package io.samsa.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Reads and writes the {@code throttle_time_ms} field of any generated {@code *ResponseData}, found once per class
 * (most Kafka responses carry it, always as an ignorable field, so writing it for a version without it is safe).
 * Thread-safe.
 */
final class ThrottleTimes {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private record Accessors(MethodHandle getter, MethodHandle setter) {
    }

    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            try {
                MethodHandle getter = LOOKUP.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class));
                MethodHandle setter = LOOKUP.findVirtual(type, "setThrottleTimeMs",
                        MethodType.methodType(type, int.class));
                return new Accessors(getter, setter);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return new Accessors(null, null);
            }
        }
    };

    private ThrottleTimes() {
    }

    /** The response's {@code throttle_time_ms}, 0 when it has none. */
    static int get(ApiMessage response) {
        Accessors accessors = ACCESSORS.get(response.getClass());
        if (accessors.getter() == null) {
            return 0;
        }
        try {
            return (int) accessors.getter().invoke(response);
        } catch (Throwable t) {
            return 0;
        }
    }

    /** Sets the response's {@code throttle_time_ms} if it has that field; returns whether it has. */
    static boolean set(ApiMessage response, int throttleTimeMs) {
        Accessors accessors = ACCESSORS.get(response.getClass());
        if (accessors.setter() == null) {
            return false;
        }
        try {
            accessors.setter().invoke(response, throttleTimeMs);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
