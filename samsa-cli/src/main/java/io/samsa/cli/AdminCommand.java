package io.samsa.cli;

import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to a broker through {@link Admin}: opens the client, runs {@link #run(Admin)} and
 * turns client failures into user-facing ones ({@link ClientOptions#translate}).
 */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (Admin admin = Admin.create(client.admin())) {
            return run(admin);
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw client.translate(e);
        }
    }

    /** The command's work; may throw any client exception (futures' {@code get()} included). */
    abstract int run(Admin admin) throws Exception;
}
