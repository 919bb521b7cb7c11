package io.flowfleet.contract;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One AP_* variable of the runtime's environment, as the runtime parses it and the operator sets it.
 *
 * @param name         the variable, e.g. AP_FLOW_TIMEOUT_SECONDS
 * @param type         how its value is read
 * @param defaultValue the value when unset, as the runtime would read it; null when there is none (required, or
 *                     derived at run time: the description says how)
 * @param required     the runtime refuses to start without it
 * @param min          smallest accepted value (INT only), else null
 * @param max          largest accepted value (INT only), else null
 * @param values       accepted values (ENUM only), else empty
 * @param pattern      what a STRING value must match, else null
 * @param tier         which process reads it
 * @param owner        who may set it
 * @param description  one line: what it does
 */
public record Setting(String name, Type type, String defaultValue, boolean required, Integer min, Integer max,
        List<String> values, Pattern pattern, Tier tier, Owner owner, String description) {

    public Setting {
        values = List.copyOf(values);
        if (!name.startsWith(RuntimeSettings.PREFIX)) throw new IllegalArgumentException(name + ": not an AP_* name");
        if ((min != null || max != null) != (type == Type.INT)) throw new IllegalArgumentException(name + ": ranges are for INT");
        if (values.isEmpty() == (type == Type.ENUM)) throw new IllegalArgumentException(name + ": values are for ENUM");
    }

    /** How a value is read. */
    public enum Type { STRING, INT, BOOLEAN, ENUM }

    /** Which runtime process reads a setting. */
    public enum Tier { APP, WORKER, BOTH, SANDBOX_CHILD }

    /** Who decides a setting's value. */
    public enum Owner {
        /** The operator derives it from the FlowPlatform/WorkerGroup; user env may not set it. */
        OPERATOR_ONLY,
        /** Has a sound default; a platform team may set it through spec.app.env / spec.worker.env. */
        USER_OVERRIDABLE,
        /** Comes from a Secret the FlowPlatform names (secretKeyRef); user env may not set it. */
        SECRET
    }

    /** Set only by the operator (OPERATOR_ONLY or SECRET): user env naming it is refused. */
    public boolean reserved() {
        return owner != Owner.USER_OVERRIDABLE;
    }

    /** Has a range the runtime checks (INT settings). */
    public boolean rangeChecked() {
        return type == Type.INT;
    }

    /** The range or values, for tables and messages: "1-3600", "true|false", "A|B". */
    public String allowed() {
        return switch (type) {
            case INT -> min + "-" + max;
            case BOOLEAN -> "true|false";
            case ENUM -> String.join("|", values);
            case STRING -> pattern == null ? "text" : "matches " + pattern.pattern();
        };
    }

    static Setting integer(String name, int defaultValue, int min, int max, Tier tier, Owner owner, String description) {
        return new Setting(name, Type.INT, Integer.toString(defaultValue), false, min, max, List.of(), null, tier, owner, description);
    }

    static Setting bool(String name, boolean defaultValue, Tier tier, Owner owner, String description) {
        return new Setting(name, Type.BOOLEAN, Boolean.toString(defaultValue), false, null, null, List.of(), null, tier, owner,
                description);
    }

    static Setting text(String name, String defaultValue, String pattern, Tier tier, Owner owner, String description) {
        return new Setting(name, Type.STRING, defaultValue, false, null, null, List.of(),
                pattern == null ? null : Pattern.compile(pattern), tier, owner, description);
    }

    static Setting requiredText(String name, String pattern, Tier tier, Owner owner, String description) {
        return new Setting(name, Type.STRING, null, true, null, null, List.of(),
                pattern == null ? null : Pattern.compile(pattern), tier, owner, description);
    }
}
