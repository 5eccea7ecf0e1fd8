package io.samsa.coordinator.group.consumer;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.internals.Topic;

/**
 * Resolves a group's subscriptions (topic names and KIP-848 v1 {@code SubscribedTopicRegex}) against a metadata image.
 * Regular expressions are Java {@link Pattern}s that must match a whole topic name; internal topics
 * ({@code __consumer_offsets}, {@code __transaction_state}) never match. Resolution runs again whenever the image
 * changes, so topics created or deleted later join or leave the subscription. A regex resolves only to the topics a
 * filter lets through (the heartbeating principal's DESCRIBE check, as Kafka's {@code TopicRegexResolver}); topics
 * subscribed by name are checked by the broker before the heartbeat reaches the group.
 *
 * <p>Stateless and thread-safe; {@link Resolved} values are immutable.
 */
public final class Subscriptions {
    /** The filter that lets every topic through (no authorizer). */
    public static final Predicate<String> ALL_TOPICS = topic -> true;

    private Subscriptions() {
    }

    /**
     * A group's subscriptions resolved against one image.
     *
     * @param image        the image resolved against (compared by identity to know when to resolve again)
     * @param topicNames   every existing topic some member subscribes to, by name or regex
     * @param regexTopics  each regex in use to the existing topics it matches
     * @param metadataHash hash of the subscribed topics' names, ids and partition counts
     */
    public record Resolved(ClusterImage image, Set<String> topicNames, Map<String, Set<String>> regexTopics,
                           long metadataHash) {
    }

    /** Compiles a subscription regex, or fails with INVALID_REGULAR_EXPRESSION. */
    public static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression("SubscribedTopicRegex `" + regex
                    + "` is not a valid regular expression: " + e.getDescription() + ".");
        }
    }

    /** Resolves the subscriptions of {@code members} against {@code image}, regexes to every matching topic. */
    public static Resolved resolve(Collection<ConsumerGroupMember> members, ClusterImage image) {
        return resolve(members, image, ALL_TOPICS);
    }

    /**
     * Resolves the subscriptions of {@code members} against {@code image}; a regex resolves to the matching topics
     * that {@code regexTopicFilter} accepts.
     */
    public static Resolved resolve(Collection<ConsumerGroupMember> members, ClusterImage image,
                                   Predicate<String> regexTopicFilter) {
        Set<String> names = new HashSet<>();
        Map<String, Set<String>> regexTopics = new HashMap<>();
        for (ConsumerGroupMember m : members) {
            for (String t : m.subscribedTopicNames()) {
                if (image.topics().containsKey(t)) {
                    names.add(t);
                }
            }
            String regex = m.subscribedTopicRegex();
            if (regex != null && !regexTopics.containsKey(regex)) {
                Set<String> matched = matching(regex, image, regexTopicFilter);
                regexTopics.put(regex, matched);
                names.addAll(matched);
            }
        }
        return new Resolved(image, Set.copyOf(names), Map.copyOf(regexTopics), hash(names, image));
    }

    private static Set<String> matching(String regex, ClusterImage image, Predicate<String> filter) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String topic : image.topics().keySet()) {
            if (!Topic.isInternal(topic) && p.matcher(topic).matches() && filter.test(topic)) {
                out.add(topic);
            }
        }
        return Set.copyOf(out);
    }

    /** The ids of the existing topics {@code member} subscribes to. */
    public static Set<UUID> topicIds(ConsumerGroupMember member, Resolved resolved) {
        Set<UUID> ids = new HashSet<>();
        Map<String, TopicImage> topics = resolved.image().topics();
        for (String name : member.subscribedTopicNames()) {
            TopicImage t = topics.get(name);
            if (t != null) {
                ids.add(t.topicId());
            }
        }
        if (member.subscribedTopicRegex() != null) {
            for (String name : resolved.regexTopics().getOrDefault(member.subscribedTopicRegex(), Set.of())) {
                ids.add(topics.get(name).topicId());
            }
        }
        return ids;
    }

    /** Partition counts of the subscribed topics, by topic id. */
    public static Map<UUID, Integer> partitionCounts(Resolved resolved) {
        Map<UUID, Integer> counts = new HashMap<>();
        for (String name : resolved.topicNames()) {
            TopicImage t = resolved.image().topics().get(name);
            counts.put(t.topicId(), t.partitions().size());
        }
        return counts;
    }

    private static long hash(Set<String> names, ClusterImage image) {
        long h = 1125899906842597L;
        for (Map.Entry<String, TopicImage> e : new TreeMap<>(image.topics()).entrySet()) {
            if (names.contains(e.getKey())) {
                h = mix(h, e.getKey().hashCode());
                h = mix(h, e.getValue().topicId().getMostSignificantBits());
                h = mix(h, e.getValue().topicId().getLeastSignificantBits());
                h = mix(h, e.getValue().partitions().size());
            }
        }
        return h;
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 31);
    }
}
