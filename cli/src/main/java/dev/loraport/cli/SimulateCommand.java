package dev.loraport.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs the simulators standalone so other processes (or the CLI itself) can talk to them. */
@Command(name = "simulate", description = "Run the service simulators standalone and print how to reach them.")
final class SimulateCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(
            names = "--only",
            paramLabel = "ID",
            description = "run only this simulator: novita or stablediffusionapi (default: both)")
    @Nullable
    String only;

    @Option(names = "--novita-port", defaultValue = "0", description = "port, 0 for any free one")
    int novitaPort;

    @Option(names = "--stablediffusionapi-port", defaultValue = "0", description = "port, 0 for any free one")
    int sdaPort;

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long (default: until Ctrl-C)")
    @Nullable
    Duration runFor;

    /** Released when the simulators should stop; tests count it down. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        if (only != null && !List.of(EmbeddedSimulator.IDS).contains(only)) {
            throw new UsageException("--only: '" + only + "' is not a simulator; allowed: novita, stablediffusionapi");
        }
        List<EmbeddedSimulator> sims = new ArrayList<>();
        for (String id : EmbeddedSimulator.IDS) {
            if (only == null || only.equals(id)) {
                EmbeddedSimulator sim =
                        EmbeddedSimulator.start(id, ctx.simulatorSpeed, id.equals("novita") ? novitaPort : sdaPort);
                ctx.register(sim);
                sims.add(sim);
            }
        }
        ctx.out.println("simulators running (time x" + ctx.simulatorSpeed + "); press Ctrl-C to stop.");
        for (EmbeddedSimulator sim : sims) {
            String upper = sim.simulator.providerId().toUpperCase(java.util.Locale.ROOT);
            ctx.out.println();
            ctx.out.println("# " + sim.simulator.providerId());
            ctx.out.println("export LORAPORT_PROVIDER=" + sim.simulator.providerId());
            ctx.out.println("export LORAPORT_" + upper + "_BASE_URL=" + sim.baseUrl());
            ctx.out.println("export LORAPORT_" + upper + "_API_KEY=" + sim.simulator.apiKey());
            // Lets wait and train --wait in another shell poll on the simulator's time, not the wall clock's: its
            // speed and the wall-clock instant its clock started give the same time there as here.
            ctx.out.println("export LORAPORT_SIMULATOR_STARTED=" + sim.clock.start());
            ctx.out.println("export LORAPORT_SIMULATOR_SPEED="
                    + (ctx.simulatorSpeed == Math.rint(ctx.simulatorSpeed)
                            ? String.valueOf((long) ctx.simulatorSpeed)
                            : String.valueOf(ctx.simulatorSpeed)));
        }
        ctx.out.flush();
        if (runFor != null) {
            stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        return ExitCodes.OK;
    }
}
