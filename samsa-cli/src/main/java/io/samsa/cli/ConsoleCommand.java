package io.samsa.cli;

import io.samsa.broker.http.HttpListeners;
import io.samsa.console.Console;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code samsa console}: the web console the broker serves at {@code /}, run on its own against any Kafka-protocol
 * cluster (Samsa or Apache Kafka) with the usual client options: {@code --bootstrap-server}, {@code --command-config}
 * (security settings, so it works against secured clusters). It serves until stopped (Ctrl-C, SIGTERM, or an interrupt
 * of the calling thread in-process).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Serve the web console for any Kafka-protocol cluster (browse topics, messages, groups, ACLs).",
        footer = {"", "Examples:",
            "  samsa console --bootstrap-server localhost:9092",
            "  samsa console --bootstrap-server b1:9093 --command-config admin.properties \\",
            "                --http http://0.0.0.0:9645"})
final class ConsoleCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Option(names = "--http", paramLabel = "URL", defaultValue = "http://localhost:9645",
            description = "Serve at http://HOST:PORT (default: ${DEFAULT-VALUE}; port 0: a free one).")
    String http;

    @Override
    public Integer call() {
        Map<String, Object> props = new HashMap<>();
        client.admin().forEach((k, v) -> props.put(k.toString(), v));
        props.put("bootstrap.servers", client.bootstrap());
        HttpListeners listeners;
        try {
            listeners = HttpListeners.start(List.of(http), true);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
        }
        Console console = Console.create(props);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            console.close();
            listeners.close();
            stopped.countDown();
        }, "samsa-console-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        listeners.route("/", console.handler());
        var address = listeners.addresses().getFirst();
        spec.commandLine().getOut().printf("Samsa console on http://%s:%d/ for the cluster at %s (Ctrl-C stops it)%n",
                address.getHostString(), address.getPort(), client.bootstrap());
        spec.commandLine().getOut().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
        }
        return 0;
    }
}
