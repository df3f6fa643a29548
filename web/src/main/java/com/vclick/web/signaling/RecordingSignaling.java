package com.vclick.web.signaling;

import com.vclick.core.edge.recording.RecordedCallService;
import com.vclick.core.edge.recording.RecordedCallStopped;
import com.vclick.web.signaling.SignalingMessage.RecordingStopped;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Tells a user's connections (their extension's among them) that the server stopped one of their
 * Secure Edge recorded calls: {@code recording.stopped}. The extension then fails the page's
 * connection at once with a clear error (the page would otherwise notice only when ICE fails). The
 * sockets of this server only: on a cluster a user connected to another member is not told, and the
 * page sees its call end through ICE (web/SIGNALING.md).
 */
@ApplicationScoped
public class RecordingSignaling {

  @Inject RecordedCallService recordedCalls;
  @Inject Connections connections;

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    recordedCalls.whenStopped(this::stopped);
  }

  void stopped(RecordedCallStopped stop) {
    connections.sendToUser(
        stop.userId(), new RecordingStopped(stop.recordedCallId(), stop.reason()));
  }
}
