package io.flowfleet.contract;

import java.util.stream.Collectors;

/**
 * The variable table of docs/runtime.md, written from {@link RuntimeSettings#all()}: the docs carry exactly this
 * text between their table markers, and a test (runtime-core's SettingsTableTest) fails when they differ.
 */
public final class SettingsTable {

    public static final String BEGIN = "<!-- BEGIN settings table: generated from io.flowfleet.contract.RuntimeSettings -->";
    public static final String END = "<!-- END settings table -->";

    private SettingsTable() {}

    public static String markdown() {
        String header = "| variable | default | allowed | read by | set by | meaning |\n| --- | --- | --- | --- | --- | --- |\n";
        return header + RuntimeSettings.all().stream().map(SettingsTable::row).collect(Collectors.joining("\n")) + "\n";
    }

    private static String row(Setting s) {
        return "| `" + s.name() + "` | " + defaultValue(s) + " | " + allowed(s) + " | " + tier(s.tier()) + " | "
                + owner(s.owner()) + " | " + s.description().replace("|", "\\|") + " |";
    }

    private static String defaultValue(Setting s) {
        if (s.required()) return "required";
        if (s.defaultValue() == null) return "unset";
        if (s.defaultValue().isEmpty()) return "empty";
        return "`" + s.defaultValue() + "`";
    }

    private static String allowed(Setting s) {
        return switch (s.type()) {
            case INT -> s.min() + "-" + s.max();
            case BOOLEAN -> "`true`, `false`";
            case ENUM -> s.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
            case STRING -> s.pattern() == null ? "text" : "`" + s.pattern().pattern().replace("|", "\\|") + "`";
        };
    }

    private static String tier(Setting.Tier tier) {
        return switch (tier) {
            case APP -> "app";
            case WORKER -> "worker";
            case BOTH -> "both";
            case SANDBOX_CHILD -> "sandbox child";
        };
    }

    private static String owner(Setting.Owner owner) {
        return switch (owner) {
            case OPERATOR_ONLY -> "operator only";
            case USER_OVERRIDABLE -> "user (`spec.*.env`)";
            case SECRET -> "Secret";
        };
    }
}
