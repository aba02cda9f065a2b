/**
 * The Novita AI v3 training adapter: {@link dev.loraport.provider.novita.NovitaTrainingProvider}, found by
 * {@link java.util.ServiceLoader} as provider id {@code novita}.
 */
@NullMarked
package dev.loraport.provider.novita;

import org.jspecify.annotations.NullMarked;
