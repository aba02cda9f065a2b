package dev.loraport.cli;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.QuotaExceededException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.UnsupportedCapabilityException;
import java.util.Locale;

/**
 * The command's exit codes, one per kind of outcome a script wants to branch on. The numbers are stable: the
 * README's table is generated from the same list (a test compares them), and a JSON error carries both.
 */
enum ExitCode {
    /** The command did what was asked. */
    OK(0, "success"),
    /** A job ended FAILED or CANCELED (train --wait, wait, status). */
    JOB_FAILED(1, "the job ended FAILED or CANCELED"),
    /** Bad command line or configuration, found before any call to a service. */
    USAGE(2, "usage error: bad option, argument or configuration"),
    /** The service refused the API key. */
    AUTH(3, "the service refused the API key"),
    /** The account is out of credit or quota. */
    QUOTA(4, "the account is out of credit or quota"),
    /** The service is down, rate limited or answered nonsense; trying again later may work. */
    UNAVAILABLE(5, "the service is unavailable or answered unexpectedly; try again later"),
    /** The job (or model) asked for does not exist at the service. */
    NOT_FOUND(6, "no such job at the service"),
    /** The service rejected the request (a generation or training it will not run, or one it does not offer). */
    REJECTED(7, "the service rejected the request or does not offer it"),
    /** Interrupted (Ctrl-C, SIGINT); a job already submitted keeps running. */
    INTERRUPTED(130, "interrupted (Ctrl-C); a submitted job keeps running");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    int code() {
        return code;
    }

    /** One sentence saying what the code means. */
    String meaning() {
        return meaning;
    }

    /** The name a script sees in a JSON error, such as {@code not-found}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The code whose number is {@code code}, or UNAVAILABLE for a number this command never uses. */
    static ExitCode ofCode(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNAVAILABLE;
    }

    /** The code an error ends the command with. */
    static ExitCode of(Throwable e) {
        if (e instanceof AuthenticationException) {
            return AUTH;
        }
        if (e instanceof QuotaExceededException) {
            return QUOTA;
        }
        if (e instanceof TaskNotFoundException) {
            return NOT_FOUND;
        }
        if (e instanceof InvalidRequestException r) {
            // Found by the adapter before any call (no HTTP status) is the user's to fix; refused by the service,
            // a rejection.
            return r.httpStatus().isPresent() ? REJECTED : USAGE;
        }
        if (e instanceof UnsupportedCapabilityException) {
            return REJECTED;
        }
        if (e instanceof InterruptedException) {
            return INTERRUPTED;
        }
        if (e instanceof UsageException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return USAGE;
        }
        // Unavailable, rate limited, malformed, outcome unknown, and anything unexpected: try again later.
        return UNAVAILABLE;
    }

    /** {@link #of(Throwable)} as the process exit status. */
    static int codeOf(Throwable e) {
        return of(e).code;
    }
}
