package io.samsa.coordinator.group.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The {@code uniform} server assignor (KIP-848's default): spreads all subscribed partitions so that member partition
 * counts differ by at most one when every member subscribes to the same topics, and as evenly as the subscriptions
 * allow otherwise, while keeping each member's previous partitions where that does not break the balance (sticky).
 *
 * <p>Steps: (1) every member keeps the previous partitions it still subscribes to; (2) the remaining partitions go, topic
 * by topic (topics with fewest subscribers first), to the least-loaded subscriber; (3) partitions move from the most to
 * the least-loaded subscriber until no move narrows the gap. Partitions added in step 2 move before sticky ones.
 * Ties break by member id, so the result is deterministic. Cost: O(P log M) for uniform subscriptions, O(P·M) worst
 * case otherwise (P partitions, M members).
 *
 * <p>Stateless and thread-safe.
 */
public final class UniformAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Spec spec) {
        return new Run(spec).run();
    }

    private record TopicPartition(UUID topic, int partition) {
    }

    /** One assignment computation; not thread-safe. */
    private static final class Run {
        private final String[] ids;
        private final ConsumerGroupAssignor.MemberSpec[] specs;
        private final Map<UUID, Integer> counts;
        private final Map<UUID, List<Integer>> subscribers = new HashMap<>();
        private final Map<UUID, int[]> owner = new HashMap<>();
        private final List<List<TopicPartition>> owned = new ArrayList<>();
        private final int[] load;
        private final TreeSet<Integer> byLoad;

        Run(Spec spec) {
            ids = spec.members().keySet().stream().sorted().toArray(String[]::new);
            specs = new ConsumerGroupAssignor.MemberSpec[ids.length];
            counts = spec.partitionCounts();
            load = new int[ids.length];
            byLoad = new TreeSet<>(Comparator.<Integer>comparingInt(i -> load[i]).thenComparingInt(i -> i));
            for (int i = 0; i < ids.length; i++) {
                specs[i] = spec.members().get(ids[i]);
                owned.add(new ArrayList<>());
                for (UUID t : specs[i].topics()) {
                    if (counts.containsKey(t)) {
                        subscribers.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
                    }
                }
                byLoad.add(i);
            }
            subscribers.forEach((t, subs) -> {
                int[] o = new int[counts.get(t)];
                java.util.Arrays.fill(o, -1);
                owner.put(t, o);
            });
        }

        Map<String, Assignment> run() {
            keepPrevious();
            assignRemaining();
            balance();
            Map<String, Assignment> result = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                Map<UUID, List<Integer>> m = new HashMap<>();
                for (TopicPartition tp : owned.get(i)) {
                    m.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
                }
                result.put(ids[i], Assignment.of(m));
            }
            return result;
        }

        private void keepPrevious() {
            for (int i = 0; i < ids.length; i++) {
                for (Map.Entry<UUID, Set<Integer>> e : specs[i].previous().partitions().entrySet()) {
                    int[] o = owner.get(e.getKey());
                    if (o == null || !specs[i].topics().contains(e.getKey())) {
                        continue;
                    }
                    for (int p : new TreeSet<>(e.getValue())) {
                        if (p < o.length && o[p] == -1) {
                            give(i, new TopicPartition(e.getKey(), p));
                        }
                    }
                }
            }
        }

        private void assignRemaining() {
            List<UUID> topics = new ArrayList<>(subscribers.keySet());
            topics.sort(Comparator.<UUID>comparingInt(t -> subscribers.get(t).size()).thenComparing(t -> t));
            for (UUID t : topics) {
                int[] o = owner.get(t);
                for (int p = 0; p < o.length; p++) {
                    if (o[p] == -1) {
                        give(leastLoaded(t, -1), new TopicPartition(t, p));
                    }
                }
            }
        }

        private void balance() {
            boolean moved = true;
            int budget = 2 * (owner.values().stream().mapToInt(o -> o.length).sum() + 1);
            while (moved && budget-- > 0) {
                moved = false;
                int min = load[byLoad.first()];
                for (int from : byLoad.descendingSet()) {
                    if (load[from] - min < 2) {
                        break;
                    }
                    if (moveOne(from)) {
                        moved = true;
                        break;
                    }
                }
            }
        }

        /** Moves one partition of {@code from} to a subscriber with at least two fewer; newest partitions first. */
        private boolean moveOne(int from) {
            List<TopicPartition> mine = owned.get(from);
            for (int k = mine.size() - 1; k >= 0; k--) {
                TopicPartition tp = mine.get(k);
                int to = leastLoaded(tp.topic(), from);
                if (to >= 0 && load[to] <= load[from] - 2) {
                    take(from, k);
                    give(to, tp);
                    return true;
                }
            }
            return false;
        }

        /** The least-loaded subscriber of {@code topic} other than {@code except}, or -1. */
        private int leastLoaded(UUID topic, int except) {
            List<Integer> subs = subscribers.get(topic);
            if (subs.size() == ids.length) {
                for (int i : byLoad) {
                    if (i != except) {
                        return i;
                    }
                }
                return -1;
            }
            int best = -1;
            for (int i : subs) {
                if (i != except && (best < 0 || load[i] < load[best])) {
                    best = i;
                }
            }
            return best;
        }

        private void give(int member, TopicPartition tp) {
            byLoad.remove(member);
            load[member]++;
            byLoad.add(member);
            owned.get(member).add(tp);
            owner.get(tp.topic())[tp.partition()] = member;
        }

        private void take(int member, int index) {
            byLoad.remove(member);
            load[member]--;
            byLoad.add(member);
            TopicPartition tp = owned.get(member).remove(index);
            owner.get(tp.topic())[tp.partition()] = -1;
        }
    }
}
