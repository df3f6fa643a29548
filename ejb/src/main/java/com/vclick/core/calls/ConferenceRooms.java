package com.vclick.core.calls;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.MediaServerException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The media server rooms of the calls that grew beyond two, one per call id. Opening is once per
 * call even when two answers race; closing is idempotent.
 */
final class ConferenceRooms {

  private static final Logger LOG = Logger.getLogger(ConferenceRooms.class.getName());

  /** Opens a room on the media server ({@code MediaServer::createConference}). */
  @FunctionalInterface
  interface Opener {
    Conference open(ConferenceRequest request, ConferenceListener listener)
        throws MediaServerException;
  }

  /** A room, and whether this very call opened it. */
  record Opened(Conference conference, boolean now) {}

  private final Opener opener;
  private final Map<String, Conference> rooms = new ConcurrentHashMap<>();

  ConferenceRooms(Opener opener) {
    this.opener = opener;
  }

  /**
   * The call's room, opened now if it has none.
   *
   * @throws MediaServerException the media server could not open it (nothing is kept)
   */
  Opened open(ConferenceRequest request, ConferenceListener listener) throws MediaServerException {
    MediaServerException[] failure = {null};
    boolean[] now = {false};
    Conference room =
        rooms.computeIfAbsent(
            request.conferenceId(),
            id -> {
              try {
                Conference opened = opener.open(request, listener);
                now[0] = true;
                return opened;
              } catch (MediaServerException e) {
                failure[0] = e;
                return null;
              } catch (RuntimeException e) {
                failure[0] = new MediaServerException("the media server failed: " + e, false, e);
                return null;
              }
            });
    if (room == null) {
      throw failure[0];
    }
    return new Opened(room, now[0]);
  }

  Optional<Conference> of(String callId) {
    return Optional.ofNullable(rooms.get(callId));
  }

  /** Releases the call's room, if any (idempotent). */
  void close(String callId) {
    Conference room = rooms.remove(callId);
    if (room != null) {
      closeQuietly(room);
    }
  }

  /** Releases every room (server shutdown). */
  void closeAll() {
    for (String callId : List.copyOf(rooms.keySet())) {
      close(callId);
    }
  }

  int size() {
    return rooms.size();
  }

  private static void closeQuietly(Conference room) {
    try {
      room.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Closing conference " + room.conferenceId() + " failed", e);
    }
  }
}
