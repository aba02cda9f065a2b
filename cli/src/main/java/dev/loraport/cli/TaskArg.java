package dev.loraport.cli;

/**
 * A job given on the command line: a bare id, or {@code provider:id} as train prints it, which also selects
 * the provider.
 */
record TaskArg(String id) {

    static TaskArg parse(String text, CliContext ctx) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new UsageException("TASK: empty job id");
        }
        int colon = t.indexOf(':');
        if (colon > 0 && dev.loraport.spi.TrainingProviders.available().contains(t.substring(0, colon))) {
            if (ctx.providerFlag == null) {
                ctx.providerFlag = t.substring(0, colon);
            }
            return new TaskArg(t.substring(colon + 1));
        }
        return new TaskArg(t);
    }
}
