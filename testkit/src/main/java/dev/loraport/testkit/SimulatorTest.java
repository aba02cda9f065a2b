package dev.loraport.testkit;

import dev.loraport.simulators.SimulatorServer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one simulator for a test class and injects it, and a decorated provider on it, as test method (and
 * lifecycle method) parameters; the {@code @WireMockTest} of loraport.
 *
 * <pre>{@code
 * @SimulatorTest(NovitaSimulator.class)
 * class MyServiceTest {
 *   @Test void trains(NovitaSimulator novita, TrainingProvider provider) { ... }
 * }
 * }</pre>
 *
 * <p>A parameter of the simulator's type (or {@code SimulatorServer}, {@code ProviderSimulator}) gets the
 * simulator, started before the class's first test and stopped after its last; a {@code TrainingProvider}
 * parameter gets {@link Simulators#stack} on it, new for each test and closed after it.
 *
 * @since 0.1
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SimulatorParameterExtension.class)
public @interface SimulatorTest {

    /**
     * The simulator to run: a class with a public static no-argument {@code create()} method, such as
     * {@code NovitaSimulator} or {@code StableDiffusionApiSimulator}.
     *
     * @return the simulator class
     */
    Class<? extends SimulatorServer> value();
}
