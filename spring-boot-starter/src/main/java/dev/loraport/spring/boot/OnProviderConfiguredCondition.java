package dev.loraport.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code loraport.provider} or some {@code loraport.<id>.api-key} is set, with relaxed binding. */
final class OnProviderConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        LoraportProperties properties = Binder.get(context.getEnvironment())
                .bind("loraport", LoraportProperties.class)
                .orElseGet(LoraportProperties::new);
        return ProviderSettings.anyConfigured(properties)
                ? ConditionOutcome.match("loraport: a provider is configured")
                : ConditionOutcome.noMatch("loraport: neither loraport.provider nor any loraport.<id>.api-key is set");
    }
}
