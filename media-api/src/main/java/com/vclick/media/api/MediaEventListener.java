package com.vclick.media.api;

/** Receives a {@link ProxiedCall}'s {@link MediaEvent}s; must not block for long. */
@FunctionalInterface
public interface MediaEventListener {
  void onEvent(MediaEvent event);
}
