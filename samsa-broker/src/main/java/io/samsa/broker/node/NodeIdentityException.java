package io.samsa.broker.node;

/**
 * A node's directories belong to another node or another cluster ({@code meta.properties} disagrees with the
 * config or with the metadata quorum): the node must not start. The message is one line naming both ids and the
 * directory.
 */
public final class NodeIdentityException extends RuntimeException {
    public NodeIdentityException(String message) {
        super(message);
    }
}
