package io.samsa.coordinator.group.consumer;

import static io.samsa.coordinator.group.consumer.ShardFixture.assignment;
import static io.samsa.coordinator.group.consumer.ShardFixture.beat;
import static io.samsa.coordinator.group.consumer.ShardFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A regex subscription resolves only to topics the heartbeating principal may DESCRIBE (Kafka's TopicRegexResolver). */
class RegexAuthorizationTest {
    private final ShardFixture f = new ShardFixture();

    @Test
    void aRegexResolvesOnlyToDescribableTopics() {
        // Given: two topics match the regex, the principal may describe one
        UUID visible = f.topic("orders-eu", 2);
        f.topic("orders-us", 2);
        Predicate<String> describable = Set.of("orders-eu")::contains;

        // When
        var r = f.heartbeat(join("g", "a").setSubscribedTopicNames(null).setSubscribedTopicRegex("orders-.*"),
                (short) 1, describable);

        // Then: only the describable topic is assigned or subscribed
        assertThat(assignment(r)).isEqualTo(Assignment.of(Map.of(visible, List.of(0, 1))));
        assertThat(f.group("g").isSubscribedToTopic("orders-us")).isFalse();
    }

    @Test
    void aTopicBecomingDescribableJoinsOnTheNextMetadataChange() {
        UUID eu = f.topic("orders-eu", 1);
        UUID us = f.topic("orders-us", 1);
        f.heartbeat(join("g", "a").setSubscribedTopicNames(null).setSubscribedTopicRegex("orders-.*"), (short) 1,
                Set.of("orders-eu")::contains);

        // When: an ACL is granted (a new metadata image) and the member heartbeats with the wider permission
        f.topic("other", 1);
        var r = f.heartbeat(beat("g", "a", 1, null), (short) 1, Subscriptions.ALL_TOPICS);

        // Then
        assertThat(r.memberEpoch()).isEqualTo(2);
        assertThat(assignment(r)).isEqualTo(Assignment.of(Map.of(eu, List.of(0), us, List.of(0))));
    }
}
