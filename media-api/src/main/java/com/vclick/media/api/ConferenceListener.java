package com.vclick.media.api;

/** Receives a {@link Conference}'s {@link ConferenceEvent}s; must not block for long. */
@FunctionalInterface
public interface ConferenceListener {
  void onEvent(ConferenceEvent event);
}
