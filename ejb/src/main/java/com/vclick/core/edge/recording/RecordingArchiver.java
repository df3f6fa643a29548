package com.vclick.core.edge.recording;

import com.vclick.core.recordings.RecordingContext;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.core.recordings.RecordingStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores every finished recording of a recorded call in the recordings store (write-once, hashed,
 * audited), linked to the page's connection in the Secure Edge connection log.
 */
@ApplicationScoped
public class RecordingArchiver {

  private static final Logger LOG = Logger.getLogger(RecordingArchiver.class.getName());

  @Inject RecordingStore store;

  void archive(@ObservesAsync FinishedRecording finished) {
    var recording = finished.recording();
    var context =
        new RecordingContext(
            finished.recordedCallId(),
            finished.connectionId() == null ? List.of() : List.of(finished.connectionId()),
            List.of(
                new RecordingParticipant(
                    finished.userId(), finished.username(), finished.displayName())),
            finished.origin(),
            recording.startedAt(),
            recording.stoppedAt());
    try {
      store.ingest(recording.file(), context);
    } catch (RuntimeException e) {
      // The media server's files stay where they are: nothing is lost, an operator can ingest
      // again.
      LOG.log(
          Level.SEVERE,
          "recorded call {0}: the recording could not be stored ({1}); its file stays at the media"
              + " server's folder",
          new Object[] {finished.recordedCallId(), e.getMessage()});
    }
  }
}
