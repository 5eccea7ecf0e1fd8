package io.samsa.coordinator.group.classic;

/** The keys of a classic group's timers on its shard's {@link io.samsa.coordinator.runtime.CoordinatorTimer}. */
final class ClassicTimerKeys {
    private ClassicTimerKeys() {
    }

    static String session(ClassicGroup g, String memberId) {
        return "session|" + g.groupId() + "|" + memberId;
    }

    static String pending(ClassicGroup g, String memberId) {
        return "pending|" + g.groupId() + "|" + memberId;
    }

    static String join(ClassicGroup g) {
        return "join|" + g.groupId();
    }

    static String initialJoin(ClassicGroup g) {
        return "initial-join|" + g.groupId();
    }

    static String sync(ClassicGroup g) {
        return "sync|" + g.groupId();
    }
}
