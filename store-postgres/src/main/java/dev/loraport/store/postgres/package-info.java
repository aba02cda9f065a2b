/**
 * A {@link dev.loraport.watch.TaskStore} on PostgreSQL for fleets of workers: {@link
 * dev.loraport.store.postgres.PostgresTaskStore}.
 */
@NullMarked
package dev.loraport.store.postgres;

import org.jspecify.annotations.NullMarked;
