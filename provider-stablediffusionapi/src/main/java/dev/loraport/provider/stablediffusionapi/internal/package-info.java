/** ModelsLab wire protocol, HTTP plumbing and mapping. Not API: may change in any release without notice. */
@NullMarked
package dev.loraport.provider.stablediffusionapi.internal;

import org.jspecify.annotations.NullMarked;
