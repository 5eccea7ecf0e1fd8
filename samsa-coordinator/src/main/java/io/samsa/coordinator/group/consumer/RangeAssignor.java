package io.samsa.coordinator.group.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code range} server assignor: for each topic, its subscribers sorted by member id get contiguous ranges of
 * partitions, the first {@code P mod S} of them one more ({@code P} partitions, {@code S} subscribers). Topics with
 * the same partition count and the same subscribers are therefore co-partitioned: partition {@code n} of each goes to
 * the same member, which joins and aggregations over keyed topics rely on.
 *
 * <p>Not sticky: ranges follow from the member ids alone. Stateless and thread-safe.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Spec spec) {
        Map<UUID, List<String>> subscribers = new HashMap<>();
        spec.members().forEach((id, m) -> m.topics().forEach(t -> {
            if (spec.partitionCounts().containsKey(t)) {
                subscribers.computeIfAbsent(t, k -> new ArrayList<>()).add(id);
            }
        }));
        Map<String, Map<UUID, List<Integer>>> out = new HashMap<>();
        subscribers.forEach((topic, subs) -> {
            subs.sort(null);
            int partitions = spec.partitionCounts().get(topic);
            int each = partitions / subs.size();
            int extra = partitions % subs.size();
            int next = 0;
            for (int i = 0; i < subs.size(); i++) {
                int n = each + (i < extra ? 1 : 0);
                List<Integer> range = new ArrayList<>(n);
                for (int p = next; p < next + n; p++) {
                    range.add(p);
                }
                next += n;
                out.computeIfAbsent(subs.get(i), k -> new HashMap<>()).put(topic, range);
            }
        });
        Map<String, Assignment> result = new HashMap<>();
        spec.members().keySet().forEach(id -> result.put(id, Assignment.of(out.getOrDefault(id, Map.of()))));
        return result;
    }
}
