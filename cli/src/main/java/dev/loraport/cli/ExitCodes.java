package dev.loraport.cli;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.QuotaExceededException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.UnsupportedCapabilityException;

/** The command's exit codes, one per kind of outcome a script wants to branch on. */
final class ExitCodes {

    static final int OK = 0;
    static final int JOB_FAILED = 1;
    static final int USAGE = 2;
    static final int AUTH = 3;
    static final int QUOTA = 4;
    static final int UNAVAILABLE = 5;

    private ExitCodes() {}

    static int of(Throwable e) {
        if (e instanceof AuthenticationException) {
            return AUTH;
        }
        if (e instanceof QuotaExceededException) {
            return QUOTA;
        }
        if (e instanceof InvalidRequestException
                || e instanceof TaskNotFoundException
                || e instanceof UnsupportedCapabilityException
                || e instanceof UsageException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return USAGE;
        }
        // Unavailable, rate limited, malformed, outcome unknown, and anything unexpected: try again later.
        return UNAVAILABLE;
    }
}
