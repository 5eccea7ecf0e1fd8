package io.samsa.storage.segment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one partition log ordered by base offset (Kafka's {@code LogSegments}).
 *
 * <p>Thread-safety: backed by a {@link ConcurrentSkipListMap}; lookups run concurrently with the single writer that
 * adds and removes segments.
 */
public final class LogSegments {
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    public void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    public void remove(long baseOffset) {
        segments.remove(baseOffset);
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public int size() {
        return segments.size();
    }

    /** The segment with the largest base offset (the one appended to). */
    public LogSegment active() {
        Map.Entry<Long, LogSegment> last = segments.lastEntry();
        if (last == null) {
            throw new IllegalStateException("log has no segment");
        }
        return last.getValue();
    }

    public Optional<LogSegment> first() {
        return Optional.ofNullable(segments.firstEntry()).map(Map.Entry::getValue);
    }

    /** The segment that would hold {@code offset}: the one with the largest base offset at most {@code offset}. */
    public Optional<LogSegment> floor(long offset) {
        return Optional.ofNullable(segments.floorEntry(offset)).map(Map.Entry::getValue);
    }

    /** The segment after the one with base offset {@code baseOffset}. */
    public Optional<LogSegment> higher(long baseOffset) {
        return Optional.ofNullable(segments.higherEntry(baseOffset)).map(Map.Entry::getValue);
    }

    public Optional<LogSegment> get(long baseOffset) {
        return Optional.ofNullable(segments.get(baseOffset));
    }

    /** Every segment in base-offset order (a live view). */
    public Collection<LogSegment> all() {
        return segments.values();
    }

    /**
     * Segments that may hold offsets in {@code [from, to)}: the floor segment of {@code from} and every later one with
     * base offset below {@code to}.
     */
    public List<LogSegment> range(long from, long to) {
        Long floor = segments.floorKey(from);
        long start = floor == null ? from : floor;
        if (start >= to) {
            return List.of();
        }
        ConcurrentNavigableMap<Long, LogSegment> view = segments.subMap(start, true, to, false);
        return List.copyOf(view.values());
    }

    /** Segments with a base offset at or above {@code from}. */
    public List<LogSegment> from(long from) {
        return List.copyOf(segments.tailMap(from, true).values());
    }
}
