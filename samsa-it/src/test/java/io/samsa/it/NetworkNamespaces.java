package io.samsa.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One network namespace per node, for network faults with iptables: namespace {@code <prefix>-n<id>} holds one end
 * of a veth pair ({@code <prefix>-p<id>}, address {@code 10.<a>.<b>.<id + 1>/24}), whose other end
 * ({@code <prefix>-v<id>}) is enslaved to the bridge {@code <prefix>-br} in the root namespace (address
 * {@code 10.<a>.<b>.1/24}), so the nodes reach each other and the test reaches them through the bridge. No
 * namespace has a default route: no traffic leaves the private /24.
 *
 * <p>{@link #isolate} drops everything on a node's veth in both directions (iptables in its namespace; its own
 * loopback keeps working) and {@link #heal} removes the rules. {@link #close} deletes the namespaces (and with them
 * the veth pairs) and the bridge, even after failures; {@link #create} first removes what an earlier, crashed run
 * with the same prefix left behind.
 *
 * <p>Needs root, {@code ip} (Debian iproute2) and {@code iptables}: {@link #assumeAvailable} skips the test
 * otherwise. Not thread-safe: one owner.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String prefix;
    private final String subnet;
    private final int size;

    private NetworkNamespaces(String prefix, String subnet, int size) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.size = size;
    }

    /** Skips the calling test (JUnit assumption, with the reason) when not root or ip/iptables are missing. */
    static void assumeAvailable() {
        assumeTrue(isRoot(), "network namespaces need root (uid " + uid() + ")");
        assumeTrue(onPath("ip"), "the 'ip' command (Debian package iproute2) is missing");
        assumeTrue(onPath("iptables"), "the 'iptables' command (Debian package iptables) is missing");
    }

    /**
     * Creates {@code size} namespaces (node ids 1..size) on the bridge.
     *
     * @param prefix a short name, at most 8 characters (interface names are limited to 15), unique per test
     * @param subnet the first three octets of a private /24, e.g. {@code "10.213.7"}
     */
    static NetworkNamespaces create(String prefix, String subnet, int size) throws Exception {
        if (prefix.length() > 8) {
            throw new IllegalArgumentException("prefix longer than 8 characters: " + prefix);
        }
        NetworkNamespaces net = new NetworkNamespaces(prefix, subnet, size);
        net.removeStale();
        try {
            net.run("ip", "link", "add", net.bridge(), "type", "bridge");
            net.run("ip", "addr", "add", subnet + ".1/24", "dev", net.bridge());
            net.run("ip", "link", "set", net.bridge(), "up");
            for (int id = 1; id <= size; id++) {
                String ns = net.namespace(id);
                net.run("ip", "netns", "add", ns);
                net.run("ip", "link", "add", net.hostVeth(id), "type", "veth", "peer", "name", net.nodeVeth(id));
                net.run("ip", "link", "set", net.nodeVeth(id), "netns", ns);
                net.run("ip", "link", "set", net.hostVeth(id), "master", net.bridge());
                net.run("ip", "link", "set", net.hostVeth(id), "up");
                net.run("ip", "netns", "exec", ns, "ip", "addr", "add", net.host(id) + "/24", "dev", net.nodeVeth(id));
                net.run("ip", "netns", "exec", ns, "ip", "link", "set", net.nodeVeth(id), "up");
                net.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
        } catch (Exception | Error e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** A cluster of {@link ClusterProcesses}, node {@code id} running in namespace {@code id} at {@link #host}. */
    ClusterProcesses cluster(Path dir, Map<String, String> overrides) throws IOException {
        return new ClusterProcesses(dir, ClusterLayout.of(size, this::host), id -> List.of(resolve("ip"), "netns",
                "exec", namespace(id)), overrides);
    }

    /** Node {@code id}'s address. */
    String host(int id) {
        return subnet + "." + (id + 1);
    }

    String namespace(int id) {
        return prefix + "-n" + id;
    }

    private String bridge() {
        return prefix + "-br";
    }

    private String hostVeth(int id) {
        return prefix + "-v" + id;
    }

    private String nodeVeth(int id) {
        return prefix + "-p" + id;
    }

    /** Drops every packet in and out of node {@code id}'s veth (its namespace's iptables). */
    void isolate(int id) throws Exception {
        String ns = namespace(id);
        run("ip", "netns", "exec", ns, "iptables", "-I", "INPUT", "-i", nodeVeth(id), "-j", "DROP");
        run("ip", "netns", "exec", ns, "iptables", "-I", "OUTPUT", "-o", nodeVeth(id), "-j", "DROP");
    }

    /** Removes {@link #isolate}'s rules. */
    void heal(int id) throws Exception {
        String ns = namespace(id);
        run("ip", "netns", "exec", ns, "iptables", "-D", "INPUT", "-i", nodeVeth(id), "-j", "DROP");
        run("ip", "netns", "exec", ns, "iptables", "-D", "OUTPUT", "-o", nodeVeth(id), "-j", "DROP");
    }

    /** Deletes the namespaces (their veth pairs go with them) and the bridge; failures are ignored. */
    @Override
    public void close() {
        for (int id = 1; id <= size; id++) {
            quietly("ip", "netns", "del", namespace(id));
            quietly("ip", "link", "del", hostVeth(id));
        }
        quietly("ip", "link", "del", bridge());
    }

    /** Removes namespaces, veths and the bridge with this prefix that a crashed earlier run left. */
    private void removeStale() throws Exception {
        for (String line : output("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(prefix + "-n")) {
                quietly("ip", "netns", "del", name);
            }
        }
        for (String line : output("ip", "-o", "link", "show").split("\n")) {
            String[] parts = line.split(":\\s+");
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(prefix + "-")) {
                    quietly("ip", "link", "del", name);
                }
            }
        }
    }

    private void run(String... command) throws Exception {
        Result result = exec(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.output());
        }
    }

    private static String output(String... command) throws Exception {
        return exec(command).output();
    }

    private static void quietly(String... command) {
        try {
            exec(command);
        } catch (Exception ignored) {
            // cleanup is best effort
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(String... command) throws Exception {
        List<String> words = new ArrayList<>(List.of(command));
        words.set(0, resolve(words.getFirst()));
        Process process = new ProcessBuilder(words).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean isRoot() {
        return "0".equals(uid());
    }

    private static String uid() {
        try {
            return exec("id", "-u").output().trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static boolean onPath(String command) {
        return !resolve(command).equals(command);
    }

    /** The absolute path of {@code command} on the PATH or in the sbin folders (root tools), else the name. */
    private static String resolve(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, command)).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(command);
    }
}
