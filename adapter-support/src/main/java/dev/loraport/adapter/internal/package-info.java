/**
 * The plumbing every hosted-service adapter needs: settings read from {@link dev.loraport.ProviderConfig}, the
 * OkHttp, Retrofit and Jackson setup, response bodies read with a size cap and the API key scrubbed, the hook for
 * errors a service reports inside an HTTP 2xx, and generation polls paced by {@link dev.loraport.PollPolicy}.
 *
 * <p>Not API: for loraport's own adapters and for outside authors who accept that it may change in any release
 * without notice. Nothing here may appear in an adapter's public signatures.
 */
@NullMarked
package dev.loraport.adapter.internal;

import org.jspecify.annotations.NullMarked;
