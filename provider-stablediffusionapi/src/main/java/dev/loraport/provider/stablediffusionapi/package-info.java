/**
 * The stablediffusionapi.com / ModelsLab training adapter:
 * {@link dev.loraport.provider.stablediffusionapi.StableDiffusionApiTrainingProvider}, found by
 * {@link java.util.ServiceLoader} as provider id {@code stablediffusionapi}.
 */
@NullMarked
package dev.loraport.provider.stablediffusionapi;

import org.jspecify.annotations.NullMarked;
