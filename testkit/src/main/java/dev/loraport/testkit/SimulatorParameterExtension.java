package dev.loraport.testkit;

import dev.loraport.TrainingProvider;
import dev.loraport.simulators.SimulatorServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link SimulatorTest}: starts the class's simulator once and resolves simulator and
 * {@link TrainingProvider} parameters. Registered by the annotation; not meant to be registered on its own.
 *
 * @since 0.1
 */
public final class SimulatorParameterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(SimulatorParameterExtension.class);
    private static final String SIMULATOR = "simulator";

    /** Made by JUnit through {@link SimulatorTest}. */
    public SimulatorParameterExtension() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NS).get(SIMULATOR) != null) {
            return; // a nested class runs on its enclosing class's simulator
        }
        SimulatorTest spec = null;
        for (Class<?> c = context.getRequiredTestClass(); c != null && spec == null; c = c.getEnclosingClass()) {
            spec = c.getAnnotation(SimulatorTest.class);
        }
        if (spec == null) {
            throw new ExtensionConfigurationException(
                    context.getRequiredTestClass().getName() + " is not annotated with @SimulatorTest");
        }
        SimulatorServer simulator = create(spec.value());
        simulator.start();
        // JUnit closes AutoCloseable store values when the class's context ends: the simulator stops then.
        context.getStore(NS).put(SIMULATOR, simulator);
    }

    private static SimulatorServer create(Class<? extends SimulatorServer> type) {
        try {
            Method create = type.getMethod("create");
            if (!Modifier.isStatic(create.getModifiers()) || !type.isAssignableFrom(create.getReturnType())) {
                throw new NoSuchMethodException("create()");
            }
            return type.cast(create.invoke(null));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new ExtensionConfigurationException(
                    "@SimulatorTest(" + type.getSimpleName() + ".class): it has no public static create() method", e);
        } catch (InvocationTargetException e) {
            throw new ExtensionConfigurationException(
                    "@SimulatorTest(" + type.getSimpleName() + ".class): create() failed: " + e.getCause(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        SimulatorServer simulator = simulator(context);
        return type == TrainingProvider.class || (simulator != null && type.isInstance(simulator));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SimulatorServer simulator = simulator(context);
        if (simulator == null) {
            throw new ParameterResolutionException("no simulator started for " + context.getUniqueId());
        }
        if (parameter.getParameter().getType() != TrainingProvider.class) {
            return simulator;
        }
        // One provider per test (method context), closed by JUnit when the test ends.
        return context.getStore(NS)
                .getOrComputeIfAbsent("provider", k -> Simulators.stack(simulator), TrainingProvider.class);
    }

    private static SimulatorServer simulator(ExtensionContext context) {
        return context.getStore(NS).get(SIMULATOR, SimulatorServer.class);
    }
}
