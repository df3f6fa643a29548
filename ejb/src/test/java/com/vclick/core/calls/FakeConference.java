package com.vclick.core.calls;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An in-memory conference for the call service's tests: remembers what it was asked. */
final class FakeConference implements Conference {

  final ConferenceRequest request;
  final ConferenceListener listener;
  final Set<String> in = new LinkedHashSet<>();
  final List<String> calls = new ArrayList<>();
  int closed;

  /** What a recorded room reports as it closes, before its release. */
  ConferenceEvent.RecordingStopped recordingOnClose;

  FakeConference(ConferenceRequest request, ConferenceListener listener) {
    this.request = request;
    this.listener = listener;
  }

  @Override
  public String conferenceId() {
    return request.conferenceId();
  }

  @Override
  public synchronized String join(String participantId, String publishOffer) {
    requireOpen();
    if (!in.add(participantId)) {
      throw new IllegalStateException("in the room already");
    }
    calls.add("join " + participantId);
    return "answer-to-" + publishOffer;
  }

  @Override
  public synchronized String republish(String participantId, String offer) {
    requireIn(participantId);
    calls.add("republish " + participantId);
    return "answer-again-to-" + offer;
  }

  @Override
  public synchronized void answer(String participantId, String sessionId, String sdp) {
    requireIn(participantId);
    calls.add("answer " + participantId + " " + sessionId);
  }

  @Override
  public synchronized void addCandidate(
      String participantId, String sessionId, IceCandidate candidate) throws MediaServerException {
    requireIn(participantId);
    calls.add("candidate " + participantId + " " + sessionId);
  }

  @Override
  public synchronized void leave(String participantId) {
    if (in.remove(participantId)) {
      calls.add("leave " + participantId);
    }
  }

  @Override
  public synchronized Set<String> participants() {
    return Set.copyOf(in);
  }

  @Override
  public void startRecording() {}

  @Override
  public void stopRecording() {}

  @Override
  public synchronized void close() {
    if (closed++ == 0) {
      in.clear();
      if (recordingOnClose != null) {
        listener.onEvent(recordingOnClose); // every recording is reported before the release
      }
      listener.onEvent(new ConferenceEvent.ConferenceReleased(conferenceId(), "closed"));
    }
  }

  private void requireOpen() {
    if (closed > 0) {
      throw new IllegalStateException("closed");
    }
  }

  private void requireIn(String participantId) {
    requireOpen();
    if (!in.contains(participantId)) {
      throw new IllegalStateException("not in the room");
    }
  }
}
