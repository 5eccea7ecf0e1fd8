package io.samsa.coordinator.group.classic;

/**
 * Who sent a classic-group request.
 *
 * @param clientId   the request header's client id
 * @param clientHost the peer address as Kafka shows it ("/127.0.0.1")
 * @param apiVersion the request's version (MEMBER_ID_REQUIRED from JoinGroup v4, SkipAssignment from v9)
 */
public record JoinContext(String clientId, String clientHost, short apiVersion) {
}
