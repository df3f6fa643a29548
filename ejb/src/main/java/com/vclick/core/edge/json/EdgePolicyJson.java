package com.vclick.core.edge.json;

import com.vclick.core.edge.AddressRange;
import com.vclick.core.edge.CandidateFilterMode;
import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.LocalSettings;
import com.vclick.core.edge.OriginPattern;
import com.vclick.core.edge.PolicyValidationException;
import com.vclick.core.edge.TimeWindow;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The JSON form of a Secure Edge policy: the document {@code GET}/{@code PUT /api/edge/policy}
 * exchange ({@code web/EDGE-API.md}) and, rule by rule, what the database stores. Writing is
 * canonical (same policy, same text); reading is strict (unknown fields, wrong types and oversized
 * lists are refused) and builds everything through the domain's constructors, so whatever it
 * returns is a valid policy. Every {@link PolicyValidationException} it throws names the JSON
 * field, e.g. {@code rules[2].origins[0]} or {@code default.settings.candidateFilter}.
 */
public final class EdgePolicyJson {

  /** Most rules one policy may have: every decision walks them in order. */
  public static final int MAX_RULES = 500;

  /** Most entries of one condition list (roles, groups, origins, time windows). */
  public static final int MAX_CONDITIONS = 100;

  /** Longest role or group name (Keycloak's own limit). */
  public static final int MAX_NAME_LENGTH = 255;

  /** The fields of a policy document. */
  public static final Set<String> DOCUMENT_FIELDS = Set.of("version", "default", "rules");

  private static final Set<String> DEFINITION_FIELDS =
      Set.of("roles", "groups", "origins", "timeWindows", "settings");
  private static final Set<String> RULE_FIELDS =
      union(DEFINITION_FIELDS, Set.of("id", "name", "enabled", "decision"));
  private static final Set<String> OUTCOME_FIELDS = Set.of("decision", "settings");
  private static final Set<String> SETTINGS_FIELDS =
      Set.of(
          "candidateFilter",
          "fakeLocalIp",
          "allowedLocalRanges",
          "blockCamera",
          "blockMicrophone",
          "blockScreenCapture",
          "blockDataChannels");
  private static final Set<String> WINDOW_FIELDS = Set.of("days", "from", "to", "zone");

  /** Domain field names that the JSON calls otherwise. */
  private static final Map<String, String> JSON_NAMES =
      Map.of(
          "candidateFilterMode", "candidateFilter",
          "kind", "decision",
          "outcome", "decision",
          "defaultOutcome", "default");

  private EdgePolicyJson() {}

  // --- writing ----------------------------------------------------------------------------------

  /** The policy document: {@code {version, default, rules}}. */
  public static JsonObject document(EdgePolicy policy, long version) {
    return content(Json.createObjectBuilder().add("version", version), policy).build();
  }

  /** The policy without its version (what an audit entry fingerprints). */
  public static JsonObject content(EdgePolicy policy) {
    return content(Json.createObjectBuilder(), policy).build();
  }

  private static JsonObjectBuilder content(JsonObjectBuilder json, EdgePolicy policy) {
    JsonArrayBuilder rules = Json.createArrayBuilder();
    policy.rules().forEach(rule -> rules.add(rule(rule)));
    return json.add("default", outcome(policy.defaultOutcome())).add("rules", rules);
  }

  /** {@code {decision, settings}}. */
  public static JsonObject outcome(EdgeOutcome outcome) {
    return Json.createObjectBuilder()
        .add("decision", outcome.kind().wireName())
        .add("settings", settings(outcome.settings()))
        .build();
  }

  /** One rule, every field written. */
  public static JsonObject rule(EdgeRule rule) {
    return Json.createObjectBuilder()
        .add("id", rule.id())
        .add("name", rule.name())
        .add("enabled", rule.enabled())
        .addAll(conditions(rule))
        .add("decision", rule.outcome().kind().wireName())
        .add("settings", settings(rule.outcome().settings()))
        .build();
  }

  /**
   * What the database stores of a rule besides its id, name, enabled flag and decision: its
   * condition lists and settings.
   */
  public static JsonObject definition(EdgeRule rule) {
    return Json.createObjectBuilder()
        .addAll(conditions(rule))
        .add("settings", settings(rule.outcome().settings()))
        .build();
  }

  private static JsonObjectBuilder conditions(EdgeRule rule) {
    JsonArrayBuilder origins = Json.createArrayBuilder();
    rule.origins().forEach(origin -> origins.add(origin.toString()));
    JsonArrayBuilder windows = Json.createArrayBuilder();
    rule.timeWindows().forEach(window -> windows.add(window(window)));
    return Json.createObjectBuilder()
        .add("roles", sorted(rule.roles()))
        .add("groups", sorted(rule.groups()))
        .add("origins", origins)
        .add("timeWindows", windows);
  }

  private static JsonObject window(TimeWindow window) {
    JsonArrayBuilder days = Json.createArrayBuilder();
    for (DayOfWeek day : DayOfWeek.values()) {
      if (window.days().contains(day)) {
        days.add(day.name().substring(0, 3));
      }
    }
    return Json.createObjectBuilder()
        .add("days", days)
        .add("from", window.from().toString())
        .add("to", window.to().toString())
        .add("zone", window.zone().getId())
        .build();
  }

  /** The local settings, as in a decision and in a policy. */
  public static JsonObject settings(LocalSettings settings) {
    JsonArrayBuilder ranges = Json.createArrayBuilder();
    settings.allowedLocalRanges().forEach(range -> ranges.add(range.toString()));
    return Json.createObjectBuilder()
        .add("candidateFilter", settings.candidateFilterMode().wireName())
        .add("fakeLocalIp", settings.fakeLocalIp())
        .add("allowedLocalRanges", ranges)
        .add("blockCamera", settings.blockCamera())
        .add("blockMicrophone", settings.blockMicrophone())
        .add("blockScreenCapture", settings.blockScreenCapture())
        .add("blockDataChannels", settings.blockDataChannels())
        .build();
  }

  private static JsonArrayBuilder sorted(Set<String> names) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    new TreeSet<>(names).forEach(array::add);
    return array;
  }

  // --- reading ----------------------------------------------------------------------------------

  /** The {@code version} of a policy document: a whole number, at least 0. */
  public static long version(JsonValue document) {
    return JsonFields.object(document, "", DOCUMENT_FIELDS).count("version");
  }

  /**
   * The policy of a document; {@code default} and {@code rules} are required, {@code version} is
   * read by {@link #version}.
   */
  public static EdgePolicy policy(JsonValue document) {
    JsonFields json = JsonFields.object(document, "", DOCUMENT_FIELDS);
    EdgeOutcome defaultOutcome = outcome(json.value("default"), "default");
    JsonArray array = json.requiredArray("rules", MAX_RULES);
    List<EdgeRule> rules = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      rules.add(rule(array.get(i), JsonFields.element("rules", i)));
    }
    return within("", () -> new EdgePolicy(rules, defaultOutcome));
  }

  /** A default outcome, {@code {decision, settings}}, at the given path. */
  public static EdgeOutcome outcome(JsonValue value, String path) {
    return outcome(JsonFields.object(value, path, OUTCOME_FIELDS), path);
  }

  /** One rule at the given path, e.g. {@code rules[2]}. */
  public static EdgeRule rule(JsonValue value, String path) {
    JsonFields json = JsonFields.object(value, path, RULE_FIELDS);
    String id = json.string("id");
    String name = json.string("name");
    boolean enabled = json.bool("enabled", true);
    Set<String> roles = new LinkedHashSet<>(json.strings("roles", MAX_CONDITIONS, MAX_NAME_LENGTH));
    Set<String> groups =
        new LinkedHashSet<>(json.strings("groups", MAX_CONDITIONS, MAX_NAME_LENGTH));
    List<OriginPattern> origins = origins(json);
    List<TimeWindow> windows = windows(json);
    EdgeOutcome outcome = outcome(json, path);
    return within(
        path, () -> new EdgeRule(id, name, enabled, roles, groups, origins, windows, outcome));
  }

  /**
   * A rule read back from the database: its columns plus its {@link #definition} text, validated
   * exactly as a rule sent to the API.
   */
  public static EdgeRule storedRule(
      String id, String name, boolean enabled, String decision, String definition, String path) {
    JsonValue stored = parse(definition, path);
    JsonFields.object(stored, path, DEFINITION_FIELDS);
    JsonObject rule =
        Json.createObjectBuilder(stored.asJsonObject())
            .add("id", id)
            .add("name", name)
            .add("enabled", enabled)
            .add("decision", decision)
            .build();
    return rule(rule, path);
  }

  /** A default outcome read back from the database: its decision and {@link #settings} text. */
  public static EdgeOutcome storedOutcome(String decision, String settings, String path) {
    return outcome(
        Json.createObjectBuilder()
            .add("decision", decision)
            .add("settings", parse(settings, JsonFields.child(path, "settings")))
            .build(),
        path);
  }

  private static JsonValue parse(String text, String path) {
    try (var reader = Json.createReader(new StringReader(text == null ? "" : text))) {
      return reader.readValue();
    } catch (JsonException e) {
      throw new PolicyValidationException(path, "The stored text is not valid JSON.");
    }
  }

  private static List<OriginPattern> origins(JsonFields json) {
    List<String> texts = json.strings("origins", MAX_CONDITIONS, Integer.MAX_VALUE);
    List<OriginPattern> origins = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      origins.add(at(JsonFields.element(json.path("origins"), i), () -> OriginPattern.parse(text)));
    }
    return origins;
  }

  private static List<TimeWindow> windows(JsonFields json) {
    JsonArray array = json.array("timeWindows", MAX_CONDITIONS);
    List<TimeWindow> windows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = JsonFields.element(json.path("timeWindows"), i);
      JsonFields window = JsonFields.object(array.get(i), path, WINDOW_FIELDS);
      List<String> days = window.strings("days", DayOfWeek.values().length, 9);
      String from = window.string("from");
      String to = window.string("to");
      String zone = window.string("zone");
      windows.add(within(path, () -> TimeWindow.parse(days, from, to, zone)));
    }
    return windows;
  }

  private static EdgeOutcome outcome(JsonFields json, String path) {
    String decision = json.string("decision");
    EdgeDecisionKind kind =
        at(json.path("decision"), () -> EdgeDecisionKind.fromWireName(decision));
    LocalSettings settings =
        json.has("settings")
            ? settings(json.value("settings"), json.path("settings"))
            : LocalSettings.defaults();
    return within(path, () -> new EdgeOutcome(kind, settings));
  }

  private static LocalSettings settings(JsonValue value, String path) {
    JsonFields json = JsonFields.object(value, path, SETTINGS_FIELDS);
    String filter = json.string("candidateFilter", CandidateFilterMode.RELAY_ONLY.wireName());
    CandidateFilterMode mode =
        at(json.path("candidateFilter"), () -> CandidateFilterMode.fromWireName(filter));
    String fakeLocalIp = json.string("fakeLocalIp", null);
    List<String> texts =
        json.strings("allowedLocalRanges", LocalSettings.MAX_ALLOWED_RANGES, Integer.MAX_VALUE);
    List<AddressRange> ranges = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      ranges.add(
          at(
              JsonFields.element(json.path("allowedLocalRanges"), i),
              () -> AddressRange.parse(text)));
    }
    boolean camera = json.bool("blockCamera", false);
    boolean microphone = json.bool("blockMicrophone", false);
    boolean screen = json.bool("blockScreenCapture", false);
    boolean channels = json.bool("blockDataChannels", false);
    return within(
        path,
        () -> new LocalSettings(mode, fakeLocalIp, ranges, camera, microphone, screen, channels));
  }

  /** Builds a value whose domain errors name a field relative to {@code path}. */
  private static <T> T within(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (PolicyValidationException e) {
      throw new PolicyValidationException(
          JsonFields.child(path, jsonPath(e.field())), e.getMessage());
    }
  }

  /** Builds a value from one JSON value: any domain error is about exactly {@code path}. */
  private static <T> T at(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (PolicyValidationException e) {
      throw new PolicyValidationException(path, e.getMessage());
    }
  }

  /** {@code settings.candidateFilterMode} → {@code settings.candidateFilter}. */
  static String jsonPath(String domainPath) {
    StringBuilder out = new StringBuilder();
    for (String segment : domainPath.split("\\.", -1)) {
      int index = segment.indexOf('[');
      String name = index < 0 ? segment : segment.substring(0, index);
      String rest = index < 0 ? "" : segment.substring(index);
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(JSON_NAMES.getOrDefault(name, name)).append(rest);
    }
    return out.toString();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
