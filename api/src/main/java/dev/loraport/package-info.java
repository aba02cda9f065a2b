/**
 * The neutral API of loraport: {@link dev.loraport.TrainingProvider}, its value types, errors and the
 * {@link dev.loraport.spi.TrainingProviders} registry.
 *
 * <p>Every type here is null-hostile unless a member says otherwise.
 */
@NullMarked
package dev.loraport;

import org.jspecify.annotations.NullMarked;
