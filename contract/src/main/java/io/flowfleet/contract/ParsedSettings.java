package io.flowfleet.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every {@link RuntimeSettings} setting read from an environment and checked against its declaration: type, range,
 * values, pattern, required. Bad values are collected, not thrown one by one, so a pod's log names every problem at
 * once ({@code AP_WEBHOOK_TIMEOUT_SECONDS='7200': must be between 1 and 3600}). A bad value reads as its default.
 */
public final class ParsedSettings {

    private final Map<Setting, Object> values = new HashMap<>();
    private final Map<Setting, String> raw = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ParsedSettings() {}

    static ParsedSettings read(Function<String, String> lookup) {
        ParsedSettings parsed = new ParsedSettings();
        for (Setting setting : RuntimeSettings.all()) {
            parsed.readOne(setting, lookup.apply(setting.name()));
        }
        return parsed;
    }

    private void readOne(Setting setting, String value) {
        String v = value == null || value.isBlank() ? null : value.trim();
        if (v == null) {
            if (setting.required()) problems.add(setting.name() + " is required");
            values.put(setting, setting.defaultValue() == null ? null : convert(setting, setting.defaultValue()));
            return;
        }
        raw.put(setting, v);
        String problem = check(setting, v);
        if (problem == null) {
            values.put(setting, convert(setting, v));
        } else {
            problems.add(setting.name() + "='" + v + "': " + problem);
            values.put(setting, setting.defaultValue() == null ? null : convert(setting, setting.defaultValue()));
        }
    }

    /** Why {@code value} is not acceptable for {@code setting}, or null when it is. */
    public static String check(Setting setting, String value) {
        String v = value.trim();
        return switch (setting.type()) {
            case INT -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    yield "must be a whole number";
                }
                yield n < setting.min() || n > setting.max() ? "must be between " + setting.min() + " and " + setting.max() : null;
            }
            case BOOLEAN -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "must be true or false";
            case ENUM -> setting.values().contains(v.toUpperCase(Locale.ROOT)) ? null
                    : "must be one of " + String.join(", ", setting.values())
                    + (v.equalsIgnoreCase("UNSANDBOXED") ? " (UNSANDBOXED is not supported: flow code always runs sandboxed)" : "");
            case STRING -> setting.pattern() == null || setting.pattern().matcher(v).matches() ? null
                    : "must match " + setting.pattern().pattern();
        };
    }

    private static Object convert(Setting setting, String v) {
        return switch (setting.type()) {
            case INT -> Integer.parseInt(v.trim());
            case BOOLEAN -> Boolean.parseBoolean(v.trim());
            case ENUM -> v.trim().toUpperCase(Locale.ROOT);
            case STRING -> v;
        };
    }

    /** Every problem, one line each naming the variable; empty when the environment is valid. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Adds a problem found by a parser of the caller's own (e.g. the structure of AP_QUEUE_ROUTES). */
    public void addProblem(Setting setting, String problem) {
        problems.add(setting.name() + "='" + raw.get(setting) + "': " + problem);
    }

    /** The value as given (trimmed), or null when unset. */
    public String raw(Setting setting) {
        return raw.get(setting);
    }

    public boolean isSet(Setting setting) {
        return raw.containsKey(setting);
    }

    public int integer(Setting setting) {
        expect(setting, Setting.Type.INT);
        Object v = values.get(setting);
        if (v == null) throw new IllegalStateException(setting.name() + " has no default: check isSet first");
        return (Integer) v;
    }

    public boolean bool(Setting setting) {
        expect(setting, Setting.Type.BOOLEAN);
        return (Boolean) values.get(setting);
    }

    /** STRING and ENUM settings (ENUM values upper-cased); null when unset without a default. */
    public String string(Setting setting) {
        if (setting.type() != Setting.Type.STRING && setting.type() != Setting.Type.ENUM) {
            throw new IllegalArgumentException(setting.name() + " is " + setting.type());
        }
        return (String) values.get(setting);
    }

    private static void expect(Setting setting, Setting.Type type) {
        if (setting.type() != type) throw new IllegalArgumentException(setting.name() + " is " + setting.type() + ", not " + type);
    }
}
