package io.samsa.metadata;

/**
 * The active controller's answer to a broker heartbeat (BrokerHeartbeat, API 63, KIP-631).
 *
 * @param fenced         true while the broker may not lead nor be in an ISR (not caught up yet, or in controlled
 *                       shutdown at its end)
 * @param shouldShutDown true once a broker that asked to shut down leads no partition: it may stop now
 */
public record HeartbeatResult(boolean fenced, boolean shouldShutDown) {
}
