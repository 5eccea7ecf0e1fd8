package io.samsa.coordinator.group.classic;

import java.util.Set;

/**
 * The states of a classic group (Kafka's {@code ClassicGroupState}) and the transitions allowed between them:
 *
 * <pre>
 * Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader's sync──▶ Stable
 *   ▲                 ▲      │ all members gone                     │ member change                    │ change
 *   └─────────────────┼──────┘                                      ▼                                  ▼
 *                     └──────────────────────────────── PreparingRebalance ◀────────────────────────────┘
 * any ──delete / unload──▶ Dead
 * </pre>
 */
public enum ClassicGroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    ClassicGroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name ListGroups and DescribeGroups send. */
    public String wireName() {
        return wireName;
    }

    /** The states this one may move to. */
    public Set<ClassicGroupState> validNext() {
        return switch (this) {
            case EMPTY -> Set.of(PREPARING_REBALANCE, DEAD);
            case PREPARING_REBALANCE -> Set.of(COMPLETING_REBALANCE, EMPTY, DEAD);
            case COMPLETING_REBALANCE -> Set.of(PREPARING_REBALANCE, STABLE, DEAD);
            case STABLE -> Set.of(PREPARING_REBALANCE, DEAD);
            case DEAD -> Set.of(DEAD);
        };
    }
}
