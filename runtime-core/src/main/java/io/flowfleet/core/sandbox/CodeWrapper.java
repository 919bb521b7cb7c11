package io.flowfleet.core.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a code step's module-style source ({@code export const code = async (inputs) => ...})
 * into a factory function: each call of the factory builds the module scope anew, so top-level
 * {@code let} state does not survive from one run to the next, and parsing happens once.
 */
final class CodeWrapper {
    private static final Pattern EXPORT_DECLARATION =
            Pattern.compile("(^|[\\s;{}])export\\s+(?=(?:const|let|var|function|async|class)\\b)");
    private static final Pattern EXPORT_DEFAULT = Pattern.compile("(^|[\\s;{}])export\\s+default\\s+");
    private static final Pattern EXPORT_LIST = Pattern.compile("(^|[\\s;}])export\\s*\\{[\\w\\s,$]*}\\s*;?");

    private CodeWrapper() {
    }

    static String wrap(String code) {
        String body = EXPORT_DECLARATION.matcher(code).replaceAll("$1");
        body = EXPORT_LIST.matcher(body).replaceAll("$1"); // export { code }: the names are already declared
        Matcher defaults = EXPORT_DEFAULT.matcher(body);
        if (defaults.find()) {
            body = defaults.replaceFirst("$1const code = ");
        }
        // Same first line as the user's code, so line numbers in stacks match what they wrote.
        return "(function () { 'use strict'; " + body
                + "\n;return typeof code === 'undefined' ? undefined : code; })";
    }
}
