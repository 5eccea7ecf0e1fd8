package io.samsa.cli;

/** Entry point of the {@code samsa} command (placeholder until the CLI lands). */
public final class SamsaCommand {
    private SamsaCommand() {}

    public static void main(String[] args) {
        System.out.println("samsa");
    }
}
