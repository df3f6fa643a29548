package com.vclick.media.janus;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Composes a take recorded outside the adapter (the bench's {@code take.json}: {@code
 * conferenceId}, {@code base}, {@code startedAt}/{@code stoppedAt} in epoch ms, {@code stints}
 * [{participant, janusBase}]) with {@link FfmpegConferenceComposer}; prints the composed file. Used
 * by {@code src/test/browser/conference-janus.sh} with {@code RECORD=1}.
 */
public final class ComposeTake {

  private ComposeTake() {}

  public static void main(String[] args) throws Exception {
    Path json = Path.of(args[0]);
    JsonObject take;
    try (Reader reader = Files.newBufferedReader(json);
        var parser = Json.createReader(reader)) {
      take = parser.readObject();
    }
    Instant startedAt = Instant.ofEpochMilli(take.getJsonNumber("startedAt").longValue());
    Instant stoppedAt = Instant.ofEpochMilli(take.getJsonNumber("stoppedAt").longValue());
    List<ConferenceTake.Stint> stints = new ArrayList<>();
    List<com.vclick.media.api.ConferenceEvent.Attendance> attendance = new ArrayList<>();
    for (JsonValue value : take.getJsonArray("stints")) {
      JsonObject stint = value.asJsonObject();
      stints.add(
          new ConferenceTake.Stint(stint.getString("participant"), stint.getString("janusBase")));
      attendance.add(
          new com.vclick.media.api.ConferenceEvent.Attendance(
              stint.getString("participant"), startedAt, null));
    }
    var composed =
        new FfmpegConferenceComposer("janus-pp-rec", "ffmpeg", Duration.ofMinutes(10))
            .compose(
                new ConferenceTake(
                    take.getString("conferenceId"),
                    json.getParent(),
                    take.getString("base"),
                    startedAt,
                    stoppedAt,
                    stints,
                    attendance));
    System.out.println(
        "COMPOSED " + composed.file() + " from " + composed.parts().size() + " parts");
  }
}
