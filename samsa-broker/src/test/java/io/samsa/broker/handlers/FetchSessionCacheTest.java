package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The fetch session cache's slots and eviction, and a session's epochs and change tracking (KIP-227). */
class FetchSessionCacheTest {
    static final long IDLE = FetchSessionCache.EVICTION_MIN_IDLE_MS;

    @Test
    void aFullCacheEvictsOnlyIdleSessionsOrConsumersForFollowers() {
        // Given two slots held by consumer sessions used at 0
        FetchSessionCache cache = new FetchSessionCache(2);
        FetchSession a = cache.create(false, true, 0).orElseThrow();
        FetchSession b = cache.create(false, true, 0).orElseThrow();

        // Then a third consumer gets no session while both are in use, and a's slot once a is idle long enough
        assertThat(cache.create(false, true, IDLE - 1)).isEmpty();
        cache.get(b.id(), IDLE - 1);
        FetchSession c = cache.create(false, true, IDLE).orElseThrow();
        assertThat(cache.get(a.id(), IDLE)).isEmpty();
        assertThat(cache.get(b.id(), IDLE)).isPresent();

        // and a follower takes the least recently used consumer's slot at once; followers are not evicted for followers
        cache.get(b.id(), IDLE + 1); // b used last: c is the least recently used consumer
        FetchSession f1 = cache.create(true, true, IDLE + 1).orElseThrow();
        assertThat(cache.get(c.id(), IDLE + 1)).as("c was used before b").isEmpty();
        FetchSession f2 = cache.create(true, true, IDLE + 2).orElseThrow();
        assertThat(cache.create(true, true, IDLE + 3)).isEmpty();
        assertThat(cache.get(f1.id(), IDLE + 3)).isPresent();
        assertThat(cache.get(f2.id(), IDLE + 3)).isPresent();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.evictions()).as("a, c and b made room; refused creations evict nothing").isEqualTo(3);

        // and no slot means no session at all
        assertThat(new FetchSessionCache(0).create(true, true, 0)).isEmpty();
    }

    @Test
    void aSessionMovesItsEpochAndReportsOnlyChanges() {
        Uuid topic = Uuid.randomUuid();
        FetchSession session = new FetchSessionCache(1).create(false, true, 0).orElseThrow();
        session.fill(List.of(new FetchSession.Wanted(topic, null, 0, 0, 1000, -1)));
        FetchSession.Key key = session.key(topic, "ignored: by topic id", 0);

        // the first answer is always sent; the same offsets again are not, a new high watermark is
        assertThat(session.mustRespond(key, Errors.NONE, 5, 5, 0, -1, 0)).isTrue();
        assertThat(session.mustRespond(key, Errors.NONE, 5, 5, 0, -1, 0)).isFalse();
        assertThat(session.mustRespond(key, Errors.NONE, 5, 5, 0, -1, 10)).as("records").isTrue();
        assertThat(session.mustRespond(key, Errors.NONE, 6, 5, 0, -1, 0)).isTrue();
        // an error is sent, and the partition again once it clears
        assertThat(session.mustRespond(key, Errors.NOT_LEADER_OR_FOLLOWER, -1, -1, -1, -1, 0)).isTrue();
        assertThat(session.mustRespond(key, Errors.NONE, 6, 5, 0, -1, 0)).isTrue();

        // epochs: only the next one is accepted, and each accepted request moves it on
        assertThat(session.apply(2, List.of(), List.of())).isEmpty();
        assertThat(session.apply(1, List.of(), List.of())).hasValueSatisfying(all -> assertThat(all).hasSize(1));
        assertThat(session.apply(1, List.of(), List.of())).isEmpty();
        assertThat(session.apply(2, List.of(), List.of(key))).hasValueSatisfying(all -> assertThat(all).isEmpty());
    }
}
