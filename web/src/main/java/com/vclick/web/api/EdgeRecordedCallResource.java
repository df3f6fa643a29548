package com.vclick.web.api;

import com.vclick.core.Uuids;
import com.vclick.core.edge.recording.RecordedCallOpened;
import com.vclick.core.edge.recording.RecordedCallRefusedException;
import com.vclick.core.edge.recording.RecordedCallService;
import com.vclick.core.edge.recording.RecordedCallUnavailableException;
import com.vclick.core.edge.sdp.InvalidSessionDescriptionException;
import com.vclick.core.edge.sdp.MediaServerInputGuard;
import com.vclick.core.identity.Roles;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaServerException;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.problem.Problem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Recorded calls for the extension's wrapper (web/EDGE-API.md "Recorded calls"): open one under a
 * {@code record} decision, pass each leg's offer/answer and candidates through the media server,
 * hang up. Only the user who opened a call can use it.
 */
@Path("edge/recorded-calls")
@RolesAllowed(Roles.CALLER)
public class EdgeRecordedCallResource {

  private static final Logger LOG = Logger.getLogger(EdgeRecordedCallResource.class.getName());
  static final int MAX_SDP_CHARS = 32_768;
  static final int MAX_CANDIDATES = 50;

  @Inject CurrentCaller caller;
  @Inject RecordedCallService calls;
  @Inject MediaServerInputGuard guard;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response open(String body) {
    JsonObject json = JsonBodies.optionalObject(body, Set.of("decisionId", "connectionId"));
    String decisionId = string(json, "decisionId", 64);
    String connectionId = null;
    if (json.containsKey("connectionId") && !json.isNull("connectionId")) {
      connectionId =
          Uuids.normalise(string(json, "connectionId", 36))
              .orElseThrow(() -> new BadRequestProblem("connectionId: a UUID is expected."));
    }
    try {
      RecordedCallOpened opened = calls.open(caller.get(), decisionId, connectionId);
      var answer = Json.createObjectBuilder().add("recorded", opened.recorded());
      if (opened.recorded()) {
        answer.add("recordedCallId", opened.recordedCallId());
      } else {
        answer.addNull("recordedCallId");
      }
      return noStore(Response.status(opened.recorded() ? 201 : 200).entity(answer.build()));
    } catch (RecordedCallRefusedException e) {
      return Problem.of(e.status(), e.getMessage()).toResponse();
    } catch (RecordedCallUnavailableException e) {
      return Problem.of(503, e.getMessage()).toResponse();
    }
  }

  @POST
  @Path("{id}/offer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response offer(@PathParam("id") String id, String body) {
    return description(id, body, calls::offer);
  }

  @POST
  @Path("{id}/answer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response answer(@PathParam("id") String id, String body) {
    return description(id, body, calls::answer);
  }

  @POST
  @Path("{id}/candidates")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response candidates(@PathParam("id") String id, String body) {
    JsonObject json = JsonBodies.optionalObject(body, Set.of("from", "candidates"));
    Leg from = leg(json);
    List<IceCandidate> candidates = new ArrayList<>();
    List<IceCandidate> sent = candidates(json);
    for (int i = 0; i < sent.size(); i++) {
      IceCandidate candidate = sent.get(i);
      checked("candidates[" + i + "].candidate: ", () -> guard.candidate(from, candidate))
          .ifPresent(candidates::add);
    }
    try {
      for (IceCandidate candidate : candidates) {
        calls.candidate(caller.get().subject(), id, from, candidate);
      }
      return Response.noContent().build();
    } catch (RecordedCallRefusedException e) {
      return Problem.of(e.status(), e.getMessage()).toResponse();
    } catch (MediaServerException e) {
      return mediaServerFailed(id, e);
    }
  }

  @DELETE
  @Path("{id}")
  public Response hangUp(@PathParam("id") String id) {
    calls.hangUp(caller.get().subject(), id);
    return Response.noContent().build();
  }

  /** An offer or an answer of one leg: {@link RecordedCallService#offer} or {@code answer}. */
  @FunctionalInterface
  private interface DescriptionStep {
    String run(String userId, String id, Leg from, String sdp)
        throws RecordedCallRefusedException, MediaServerException;
  }

  /** Reads {@code {from, sdp}}, runs the step, answers {@code {sdp}} (the media server's). */
  private Response description(String id, String body, DescriptionStep step) {
    JsonObject json = JsonBodies.optionalObject(body, Set.of("from", "sdp"));
    Leg from = leg(json);
    String sdp = checked("", () -> guard.description(from, sdp(json)));
    try {
      String answer = step.run(caller.get().subject(), id, from, sdp);
      return noStore(Response.ok(Json.createObjectBuilder().add("sdp", answer).build()));
    } catch (RecordedCallRefusedException e) {
      return Problem.of(e.status(), e.getMessage()).toResponse();
    } catch (MediaServerException e) {
      return mediaServerFailed(id, e);
    }
  }

  /** A step of the input guard; a grammar violation is the client's error (400, the rule named). */
  @FunctionalInterface
  private interface GuardStep<T> {
    T run() throws InvalidSessionDescriptionException;
  }

  private static <T> T checked(String field, GuardStep<T> step) {
    try {
      return step.run();
    } catch (InvalidSessionDescriptionException e) {
      throw new BadRequestProblem(field + e.getMessage());
    }
  }

  private static Response mediaServerFailed(String id, MediaServerException e) {
    LOG.log(
        Level.WARNING, "recorded call {0}: media server: {1}", new Object[] {id, e.getMessage()});
    return Problem.of(
            e.unreachable() ? 503 : 502,
            "The recording media server did not take it: the call cannot go on recorded.")
        .toResponse();
  }

  private static Response noStore(Response.ResponseBuilder builder) {
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return builder.cacheControl(noStore).build();
  }

  private static Leg leg(JsonObject json) {
    String from = string(json, "from", 16);
    return switch (from) {
      case "enterprise" -> Leg.ENTERPRISE;
      case "far-end" -> Leg.FAR_END;
      default -> throw new BadRequestProblem("from: must be enterprise or far-end.");
    };
  }

  private static String sdp(JsonObject json) {
    String sdp = string(json, "sdp", MAX_SDP_CHARS);
    if (!sdp.startsWith("v=0")) {
      throw new BadRequestProblem("sdp: not a session description.");
    }
    return sdp;
  }

  private static List<IceCandidate> candidates(JsonObject json) {
    JsonValue value = json.get("candidates");
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_CANDIDATES) {
      throw new BadRequestProblem("candidates: 1 to " + MAX_CANDIDATES + " candidates.");
    }
    List<IceCandidate> list = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof JsonObject c)) {
        throw new BadRequestProblem("candidates[" + i + "]: must be an object.");
      }
      for (String key : c.keySet()) {
        if (!Set.of("candidate", "sdpMid", "sdpMLineIndex").contains(key)) {
          throw new BadRequestProblem("candidates[" + i + "]." + key + ": This field is unknown.");
        }
      }
      String text = c.get("candidate") instanceof JsonString s ? s.getString() : null;
      if (text == null
          || text.length() > 1024
          || !(text.isEmpty() || text.startsWith("candidate:"))) {
        throw new BadRequestProblem("candidates[" + i + "].candidate: not a candidate.");
      }
      String mid = c.get("sdpMid") instanceof JsonString s ? s.getString() : null;
      Integer index =
          c.get("sdpMLineIndex") instanceof JsonNumber n && n.isIntegral() ? n.intValue() : null;
      if ((mid == null && index == null) || (mid != null && mid.length() > 32)) {
        throw new BadRequestProblem("candidates[" + i + "]: needs sdpMid or sdpMLineIndex.");
      }
      list.add(new IceCandidate(text, mid, index));
    }
    return list;
  }

  private static String string(JsonObject json, String field, int max) {
    if (!(json.get(field) instanceof JsonString text)
        || text.getString().isEmpty()
        || text.getString().length() > max) {
      throw new BadRequestProblem(field + ": must be a string of 1 to " + max + " characters.");
    }
    return text.getString();
  }
}
