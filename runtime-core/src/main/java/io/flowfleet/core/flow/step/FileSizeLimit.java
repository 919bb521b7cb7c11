package io.flowfleet.core.flow.step;

import io.flowfleet.contract.RuntimeSettings;

/** How the largest file-sized value a step may receive or produce (AP_MAX_FILE_SIZE_MB) is named in errors. */
public final class FileSizeLimit {
    private static final long MB = 1024L * 1024L;

    private FileSizeLimit() {
    }

    /** "25 MB (AP_MAX_FILE_SIZE_MB)"; a limit under 1 MB (tests) in bytes. */
    public static String describe(long limitBytes) {
        String size = limitBytes % MB == 0 ? limitBytes / MB + " MB" : limitBytes + " bytes";
        return size + " (" + RuntimeSettings.ENV_VAR_MAX_FILE_SIZE_MB + ")";
    }
}
