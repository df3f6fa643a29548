package com.vclick.web.api;

import com.vclick.core.Uuids;
import com.vclick.core.edge.PageOrigin;
import com.vclick.core.identity.Roles;
import com.vclick.core.recordings.Recording;
import com.vclick.core.recordings.RecordingAccess;
import com.vclick.core.recordings.RecordingContext;
import com.vclick.core.recordings.RecordingDeletedException;
import com.vclick.core.recordings.RecordingMedia;
import com.vclick.core.recordings.RecordingQuery;
import com.vclick.core.recordings.RecordingStore;
import com.vclick.web.http.ByteRange;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.problem.ConflictProblem;
import com.vclick.web.problem.Problem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * Regulated recordings for {@code recording-reviewer} only (web/RECORDINGS-API.md): list and
 * filter, metadata, the media streamed with byte ranges (played) or as an attachment (downloaded),
 * legal hold, verification of the file's hash. Anyone else gets 403, also for recordings of their
 * own calls: compliance decides who hears them. Every read of a file and every change is audited
 * with the reviewer's user id.
 */
@Path("recordings")
@RolesAllowed(Roles.RECORDING_REVIEWER)
public class RecordingsResource {

  static final Set<String> HOLD_FIELDS = Set.of("hold", "reason");

  @Inject CurrentCaller caller;
  @Inject RecordingStore store;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray list(
      @QueryParam("user") String user,
      @QueryParam("origin") String origin,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("before") String before) {
    var query =
        new RecordingQuery(
            QueryParameters.userId(user),
            origin(origin),
            QueryParameters.instant("from", from),
            QueryParameters.instant("to", to),
            QueryParameters.before(before),
            QueryParameters.limit(limit, RecordingQuery.MAX_LIMIT));
    JsonArrayBuilder list = Json.createArrayBuilder();
    store.list(query).forEach(recording -> list.add(json(recording)));
    return list.build();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject get(@PathParam("id") String id) {
    return json(store.find(id(id)).orElseThrow(RecordingsResource::notFound));
  }

  /**
   * The file: the whole (200) or the one byte range a {@code Range} header asks for (206), for
   * {@code <video>} seeking; {@code download=1} makes it an attachment. Audited before the first
   * byte goes out, each request on its own.
   */
  @GET
  @Path("{id}/media")
  public Response media(
      @PathParam("id") String id,
      @QueryParam("download") String download,
      @HeaderParam("Range") String range,
      @HeaderParam("If-Range") String ifRange) {
    String recordingId = id(id);
    boolean attachment = download(download);
    Recording recording = store.find(recordingId).orElseThrow(RecordingsResource::notFound);
    gone(recording);
    long size = recording.row().sizeBytes();
    String etag = "\"" + recording.row().sha256() + "\"";
    ByteRange.Request request =
        ifRange == null || ifRange.strip().equals(etag)
            ? ByteRange.parse(range, size)
            : new ByteRange.Whole();
    if (request instanceof ByteRange.Unsatisfiable) {
      return Problem.of(416, "The range is outside the recording's " + size + " bytes.")
          .toResponseBuilder()
          .header("Content-Range", "bytes */" + size)
          .build();
    }
    ByteRange bytes =
        request instanceof ByteRange.Part part ? part.range() : new ByteRange(0, size - 1);
    RecordingMedia media;
    try {
      media =
          store
              .open(
                  caller.get().subject(),
                  recordingId,
                  attachment ? RecordingAccess.DOWNLOADED : RecordingAccess.PLAYED,
                  request instanceof ByteRange.Part ? bytes.toString() : "full")
              .orElseThrow(RecordingsResource::notFound);
    } catch (RecordingDeletedException e) {
      throw gone(e);
    }
    String type = media.recording().row().container().mediaType();
    Response.ResponseBuilder response =
        Response.status(request instanceof ByteRange.Part ? 206 : 200)
            .entity(new FileRange(media.file(), bytes))
            .type(type)
            .header("Accept-Ranges", "bytes")
            .header(HttpHeaders.CONTENT_LENGTH, bytes.length())
            .header(HttpHeaders.ETAG, etag)
            .header(
                "Content-Disposition",
                (attachment ? "attachment" : "inline")
                    + "; filename=\"recording-"
                    + recordingId
                    + ".mkv\"");
    if (request instanceof ByteRange.Part) {
      response.header("Content-Range", bytes.contentRange(size));
    }
    return response.build();
  }

  /** {@code {"hold": true, "reason": "…"}}: both required; the answer is the recording. */
  @PUT
  @Path("{id}/legal-hold")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject legalHold(@PathParam("id") String id, String body) {
    String recordingId = id(id);
    JsonObject document = JsonBodies.optionalObject(body, HOLD_FIELDS);
    JsonValue hold = document.get("hold");
    boolean held = hold != null && hold.getValueType() == JsonValue.ValueType.TRUE;
    if (hold == null || !(held || hold.getValueType() == JsonValue.ValueType.FALSE)) {
      throw new BadRequestProblem("hold: true or false is expected.");
    }
    if (!(document.get("reason") instanceof JsonString reason)) {
      throw new BadRequestProblem("reason: a text of 1 to 500 characters is expected.");
    }
    try {
      return json(
          store
              .legalHold(caller.get().subject(), recordingId, held, reason.getString())
              .orElseThrow(RecordingsResource::notFound));
    } catch (IllegalArgumentException e) {
      throw new BadRequestProblem(e.getMessage());
    } catch (RecordingDeletedException e) {
      throw new ConflictProblem(
          "The recording's file was deleted on " + e.deletedAt() + "; there is nothing to hold.");
    }
  }

  /** Recomputes the file's SHA-256 and compares it with the one stored when it was written. */
  @GET
  @Path("{id}/verify")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject verify(@PathParam("id") String id) {
    String recordingId = id(id);
    try {
      return RecordingJson.of(
          store
              .verify(caller.get().subject(), recordingId)
              .orElseThrow(RecordingsResource::notFound));
    } catch (RecordingDeletedException e) {
      throw gone(e);
    }
  }

  private JsonObject json(Recording recording) {
    return RecordingJson.of(recording, store.retentionEndsAt(recording.row().createdAt()));
  }

  private static String id(String id) {
    return Uuids.normalise(id)
        .orElseThrow(() -> new BadRequestProblem("The recording id must be a UUID."));
  }

  private static boolean download(String value) {
    if (value == null || value.equals("0")) {
      return false;
    }
    if (value.equals("1")) {
      return true;
    }
    throw new BadRequestProblem("download must be 1 or 0.");
  }

  private static String origin(String origin) {
    if (origin == null) {
      return null;
    }
    if (origin.isBlank() || origin.length() > RecordingContext.MAX_ORIGIN_LENGTH) {
      throw new BadRequestProblem("origin must be a page origin such as https://meet.example.com.");
    }
    return PageOrigin.tryParse(origin).map(PageOrigin::toString).orElse(origin);
  }

  private static void gone(Recording recording) {
    if (recording.row().deletedAt().isPresent()) {
      throw gone(new RecordingDeletedException(recording.row().deletedAt().get()));
    }
  }

  private static WebApplicationException notFound() {
    return new WebApplicationException(Problem.of(404, "There is no such recording.").toResponse());
  }

  private static WebApplicationException gone(RecordingDeletedException e) {
    return new WebApplicationException(
        Problem.of(410, "The recording's file was deleted on " + e.deletedAt() + " (retention).")
            .toResponse());
  }
}
