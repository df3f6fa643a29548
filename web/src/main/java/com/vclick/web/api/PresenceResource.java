package com.vclick.web.api;

import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.identity.Roles;
import com.vclick.core.presence.PresenceBook;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who is behind these email addresses, and their presence now (click-to-call icons colour
 * themselves with this; live changes then come over the signaling socket's {@code presence.watch}).
 * Addresses nobody in the directory has are left out of the answer.
 */
@Path("presence/lookup")
@RolesAllowed(Roles.CALLER)
public class PresenceResource {

  /** Most addresses one request may ask about (the extension's MAX_LOOKUP). */
  static final int MAX_EMAILS = 200;

  static final int MAX_EMAIL_LENGTH = 254;

  @Inject Directory directory;
  @Inject PresenceBook presence;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject lookup(String body) {
    JsonValue emails = JsonBodies.optionalObject(body, Set.of("emails")).get("emails");
    if (emails == null || emails.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new BadRequestProblem("emails must be an array of email addresses.");
    }
    JsonArrayBuilder people = Json.createArrayBuilder();
    for (String email : addresses(emails.asJsonArray())) {
      find(email)
          .ifPresent(
              entry ->
                  people.add(
                      Json.createObjectBuilder()
                          .add("email", email)
                          .add("userId", entry.id())
                          .add("displayName", entry.displayName())
                          .add(
                              "presence",
                              presence.presenceOf(entry.id()).name().toLowerCase(Locale.ROOT))));
    }
    return Json.createObjectBuilder().add("people", people).build();
  }

  /** Only real email matches: an id or username must not be usable to probe the directory. */
  private Optional<DirectoryEntry> find(String email) {
    return directory.find(email).filter(e -> e.email().equalsIgnoreCase(email));
  }

  private static Set<String> addresses(JsonArray emails) {
    if (emails.size() > MAX_EMAILS) {
      throw new BadRequestProblem("At most " + MAX_EMAILS + " emails per request.");
    }
    Set<String> addresses = new LinkedHashSet<>();
    for (JsonValue value : emails) {
      if (!(value instanceof JsonString string)
          || string.getString().length() > MAX_EMAIL_LENGTH
          || string.getString().indexOf('@') < 1) {
        throw new BadRequestProblem("emails must be an array of email addresses.");
      }
      addresses.add(string.getString().toLowerCase(Locale.ROOT));
    }
    return addresses;
  }
}
