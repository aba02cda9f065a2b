/**
 * PostgreSQL for fleets of workers: a {@link dev.loraport.watch.TaskStore} ({@link
 * dev.loraport.store.postgres.PostgresTaskStore}) and a rate limit shared by every worker of an account ({@link
 * dev.loraport.store.postgres.PostgresRateLimit}).
 */
@NullMarked
package dev.loraport.store.postgres;

import org.jspecify.annotations.NullMarked;
