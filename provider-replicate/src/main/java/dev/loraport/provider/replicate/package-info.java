/**
 * The Replicate trainings adapter: {@link dev.loraport.provider.replicate.ReplicateTrainingProvider}, found by
 * {@link java.util.ServiceLoader} as provider id {@code replicate}, and
 * {@link dev.loraport.provider.replicate.ReplicateWebhookReceiver}, which turns Replicate's signed webhooks into
 * poll hints for a {@link dev.loraport.watch.TaskWatcher}. Built only on the published {@code loraport-api}.
 */
@NullMarked
package dev.loraport.provider.replicate;

import org.jspecify.annotations.NullMarked;
