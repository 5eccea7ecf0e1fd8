package io.samsa.cli;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code samsa} command: {@code server}, {@code topics}, {@code produce}, {@code consume}, {@code version}.
 *
 * <p>Exit codes: 0 success, 1 a runtime failure (broker unreachable, send failed, startup failed), 2 a usage error
 * or an invalid configuration. Every failure prints one line {@code samsa: <message>} on stderr; {@code -v} adds
 * the stack trace.
 *
 * <p>In-process use (tests): {@code SamsaCommand.newCommandLine(stdin, out, err).execute(args)} installs the error
 * handlers and the UTF-8 streams; stdin is read by {@code produce}. Not thread-safe: one instance per execution.
 */
@Command(
        name = "samsa",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Samsa: an event streaming platform that speaks the Apache Kafka protocol.",
        subcommands = {
            ServerCommand.class,
            TopicsCommand.class,
            ConfigsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupsCommand.class,
            TransactionsCommand.class,
            UsersCommand.class,
            AclsCommand.class,
            ConsoleCommand.class,
            ClusterCommand.class,
            DeleteRecordsCommand.class,
            DumpLogCommand.class,
            PerfCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # one node on localhost:9092, data in ./samsa-data",
            "  samsa server",
            "  samsa server --config config/server.properties --override node.id=2",
            "  samsa topics create --topic events --partitions 3",
            "  echo hello | samsa produce --topic events",
            "  samsa consume --topic events --from-beginning --max-messages 1",
            "  samsa groups describe --group readers --bootstrap-server broker1:9092",
            "  # the options and examples of a command",
            "  samsa <command> --help"
        })
public final class SamsaCommand implements Runnable {
    /** Exit code of a runtime failure. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error or an invalid configuration. */
    public static final int EXIT_USAGE = 2;

    private final InputStream in;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "More output; print the stack trace of a failure.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A command reading {@code System.in}. */
    public SamsaCommand() {
        this(System.in);
    }

    /** A command whose {@code produce} reads the given stream instead of {@code System.in}. */
    public SamsaCommand(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** The standard input of the commands. */
    InputStream in() {
        return in;
    }

    @Override
    public void run() {
        // No subcommand: show the usage.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with the error handlers installed, reading {@code in} and writing {@code out}/{@code err}. */
    public static CommandLine newCommandLine(InputStream in, PrintWriter out, PrintWriter err) {
        ErrorHandler handler = new ErrorHandler();
        CommandLine commandLine = new CommandLine(new SamsaCommand(in))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler)
                .setOut(out)
                .setErr(err);
        // picocli's own `help` command has no annotation of ours: its examples are set here
        commandLine.getSubcommands().get("help").getCommandSpec().usageMessage()
                .footerHeading("%nExamples:%n")
                .footer("  samsa help topics create        # the same as: samsa topics create --help");
        return commandLine;
    }

    /** Runs the command and exits the JVM with its exit code. */
    public static void main(String[] args) {
        // Before the first logger is created: the server logs INFO to stdout, client commands WARN to stderr.
        if (isServer(args)) {
            LogMode.useServerLogging();
        }
        PrintWriter out = utf8Writer(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = utf8Writer(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
        Optional<ServerCommand> server = ServerCommand.parsePlain(args);
        int exitCode;
        if (server.isPresent()) { // the usual `samsa server` start, without picocli's start-up cost (ADR 0008)
            try {
                exitCode = server.get().callPlain(err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exitCode = EXIT_FAILURE;
            }
        } else {
            exitCode = newCommandLine(System.in, out, err).execute(args);
        }
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    static boolean isServer(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.equals("server");
            }
        }
        return false;
    }

    private static PrintWriter utf8Writer(OutputStreamWriter writer) {
        return new PrintWriter(new BufferedWriter(writer, 1 << 16), true);
    }
}
