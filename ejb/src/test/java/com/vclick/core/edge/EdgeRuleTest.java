package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EdgeRuleTest {

  static final EdgeOutcome RELAY = EdgeOutcome.shippedDefault();
  static final Instant MONDAY_10_LONDON = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant SATURDAY_10_LONDON = Instant.parse("2026-03-07T10:00:00Z");
  static final TimeWindow OFFICE_HOURS =
      new TimeWindow(
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
          LocalTime.of(8, 0),
          LocalTime.of(18, 0),
          ZoneId.of("Europe/London"));

  static EdgeSubject user(Set<String> roles, Set<String> groups) {
    return new EdgeSubject("u-1", "alice", roles, groups);
  }

  static EdgeRule rule(
      Set<String> roles, Set<String> groups, List<String> origins, List<TimeWindow> windows) {
    return new EdgeRule(
        "r-1",
        "Traders",
        true,
        roles,
        groups,
        origins.stream().map(OriginPattern::parse).toList(),
        windows,
        RELAY);
  }

  static Set<String> set(String commaSeparated) {
    return commaSeparated.isBlank() ? Set.of() : Set.of(commaSeparated.split(","));
  }

  @ParameterizedTest(name = "rule roles [{0}] groups [{1}], user roles [{2}] groups [{3}] → {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # rule roles        | rule groups       | user roles        | user groups        | matches
          ''                  | ''                | ''                | ''                 | true
          ''                  | ''                | caller            | /traders           | true
          regulated           | ''                | caller,regulated  | ''                 | true
          regulated,contractor| ''                | contractor        | ''                 | true
          regulated,contractor| ''                | caller            | ''                 | false
          regulated           | ''                | ''                | ''                 | false
          regulated           | ''                | Regulated         | ''                 | false
          ''                  | /traders          | ''                | /traders           | true
          ''                  | /traders,/sales   | ''                | /sales,/london     | true
          ''                  | /traders          | ''                | /sales             | false
          ''                  | /traders          | ''                | traders            | false
          regulated           | /traders          | regulated         | /traders           | true
          regulated           | /traders          | regulated         | /sales             | false
          regulated           | /traders          | caller            | /traders           | false
          """)
  void rolesAndGroupsAreEachAnyOfAndBothMustHold(
      String ruleRoles, String ruleGroups, String userRoles, String userGroups, boolean matches) {
    EdgeRule rule = rule(set(ruleRoles), set(ruleGroups), List.of(), List.of());
    assertEquals(
        matches,
        rule.matches(
            user(set(userRoles), set(userGroups)), "https://meet.example.com", MONDAY_10_LONDON));
  }

  @Test
  void originsAreAnyOfAndEmptyMeansEveryOrigin() {
    EdgeSubject alice = user(Set.of("caller"), Set.of());
    EdgeRule anyOrigin = rule(Set.of(), Set.of(), List.of(), List.of());
    assertTrue(anyOrigin.matches(alice, "https://anything.example", MONDAY_10_LONDON));
    assertTrue(anyOrigin.matches(alice, "http://[::1]:8080", MONDAY_10_LONDON));

    EdgeRule two =
        rule(
            Set.of(),
            Set.of(),
            List.of("https://teams.microsoft.com", "https://*.zoom.us"),
            List.of());
    assertTrue(two.matches(alice, "https://teams.microsoft.com", MONDAY_10_LONDON));
    assertTrue(two.matches(alice, "https://acme.zoom.us", MONDAY_10_LONDON));
    assertFalse(two.matches(alice, "https://zoom.us", MONDAY_10_LONDON));
    assertFalse(two.matches(alice, "https://meet.google.com", MONDAY_10_LONDON));
  }

  @Test
  void aMalformedOriginMatchesNoRuleNotEvenOneForEveryOrigin() {
    EdgeSubject alice = user(Set.of("caller"), Set.of());
    EdgeRule anyOrigin = rule(Set.of(), Set.of(), List.of(), List.of());
    EdgeRule star = rule(Set.of(), Set.of(), List.of("*"), List.of());
    for (String origin :
        Arrays.asList(null, "null", "", "data:text/html,x", "file:///c:/x", "https://a.com/x")) {
      assertFalse(anyOrigin.matches(alice, origin, MONDAY_10_LONDON), origin);
      assertFalse(star.matches(alice, origin, MONDAY_10_LONDON), origin);
    }
  }

  @Test
  void timeWindowsAreAnyOfAndEmptyMeansAlways() {
    EdgeSubject alice = user(Set.of(), Set.of());
    EdgeRule always = rule(Set.of(), Set.of(), List.of(), List.of());
    assertTrue(always.matches(alice, "https://a.com", SATURDAY_10_LONDON));

    EdgeRule office = rule(Set.of(), Set.of(), List.of(), List.of(OFFICE_HOURS));
    assertTrue(office.matches(alice, "https://a.com", MONDAY_10_LONDON));
    assertFalse(office.matches(alice, "https://a.com", SATURDAY_10_LONDON));

    TimeWindow saturdayMorning =
        new TimeWindow(
            Set.of(DayOfWeek.SATURDAY),
            LocalTime.of(9, 0),
            LocalTime.of(12, 0),
            ZoneId.of("Europe/London"));
    EdgeRule officeOrSaturday =
        rule(Set.of(), Set.of(), List.of(), List.of(OFFICE_HOURS, saturdayMorning));
    assertTrue(officeOrSaturday.matches(alice, "https://a.com", SATURDAY_10_LONDON));
    assertFalse(
        officeOrSaturday.matches(alice, "https://a.com", Instant.parse("2026-03-08T10:00:00Z")));
  }

  @Test
  void aDisabledRuleNeverMatchesButStillReportsItsConditions() {
    EdgeRule disabled =
        new EdgeRule("r-off", "Off", false, Set.of(), Set.of(), List.of(), List.of(), RELAY);
    EdgeSubject alice = user(Set.of(), Set.of());
    PageOrigin origin = PageOrigin.parse("https://a.com");
    assertFalse(disabled.matches(alice, origin, MONDAY_10_LONDON));
    assertEquals(List.of(), disabled.mismatches(alice, origin, MONDAY_10_LONDON));
  }

  @Test
  void mismatchesSayWhichConditionFailedAndWhy() {
    EdgeRule rule =
        rule(
            Set.of("regulated", "contractor"),
            Set.of("/traders"),
            List.of("https://*.bloomberg.com", "https://teams.microsoft.com"),
            List.of(OFFICE_HOURS));
    List<String> reasons =
        rule.mismatches(
            user(Set.of("caller"), Set.of()),
            PageOrigin.parse("https://meet.google.com"),
            SATURDAY_10_LONDON);
    assertEquals(
        List.of(
            "role not matched (needs any of: contractor, regulated; the user has: caller)",
            "group not matched (needs any of: /traders; the user is in: none)",
            "origin not matched (needs any of: https://*.bloomberg.com,"
                + " https://teams.microsoft.com)",
            "outside its time windows (Mon–Fri 08:00–18:00 Europe/London)"),
        reasons);
    assertEquals(
        List.of(
            "origin not matched (needs any of: https://*.bloomberg.com,"
                + " https://teams.microsoft.com)"),
        rule.mismatches(
            user(Set.of("regulated"), Set.of("/traders")),
            PageOrigin.parse("https://bloomberg.com"),
            MONDAY_10_LONDON));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a/b", "é", "default"})
  void badIdsAreRefused(String id) {
    PolicyValidationException e =
        assertThrows(
            PolicyValidationException.class,
            () -> new EdgeRule(id, "Name", true, null, null, null, null, RELAY));
    assertEquals("id", e.field());
  }

  @Test
  void idsAndNamesHaveLimits() {
    new EdgeRule("a".repeat(64), "Name", true, null, null, null, null, RELAY);
    new EdgeRule(
        "0b6f3c2e-5d1a-4e8f-9a7b-2c4d6e8f0a1b:v2.x_y", "Name", true, null, null, null, null, RELAY);
    assertEquals(
        "id",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeRule("a".repeat(65), "Name", true, null, null, null, null, RELAY))
            .field());
    assertEquals(
        "id",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeRule(null, "Name", true, null, null, null, null, RELAY))
            .field());
    for (String name : Arrays.asList(null, "", "   ", "x".repeat(EdgeRule.MAX_NAME_LENGTH + 1))) {
      assertEquals(
          "name",
          assertThrows(
                  PolicyValidationException.class,
                  () -> new EdgeRule("r", name, true, null, null, null, null, RELAY))
              .field());
    }
    assertEquals(
        "Trimmed", new EdgeRule("r", "  Trimmed ", true, null, null, null, null, RELAY).name());
  }

  @Test
  void conditionsAreCheckedCopies() {
    Set<String> blankRole = new HashSet<>(Arrays.asList("caller", " "));
    assertEquals(
        "roles",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeRule("r", "N", true, blankRole, null, null, null, RELAY))
            .field());
    Set<String> nullGroup = new HashSet<>(Arrays.asList("/a", null));
    assertEquals(
        "groups",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeRule("r", "N", true, null, nullGroup, null, null, RELAY))
            .field());
    assertEquals(
        "origins[1]",
        assertThrows(
                PolicyValidationException.class,
                () ->
                    new EdgeRule(
                        "r",
                        "N",
                        true,
                        null,
                        null,
                        Arrays.asList(OriginPattern.ANY, null),
                        null,
                        RELAY))
            .field());
    assertEquals(
        "timeWindows[0]",
        assertThrows(
                PolicyValidationException.class,
                () ->
                    new EdgeRule(
                        "r", "N", true, null, null, null, Arrays.asList((TimeWindow) null), RELAY))
            .field());
    assertEquals(
        "outcome",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeRule("r", "N", true, null, null, null, null, null))
            .field());

    List<OriginPattern> origins = new ArrayList<>(List.of(OriginPattern.parse("https://a.com")));
    EdgeRule rule = new EdgeRule("r", "N", true, Set.of(" caller "), null, origins, null, RELAY);
    origins.add(OriginPattern.ANY);
    assertEquals(List.of(OriginPattern.parse("https://a.com")), rule.origins());
    assertEquals(Set.of("caller"), rule.roles());
    assertEquals(Set.of(), rule.groups());
    assertEquals(List.of(), rule.timeWindows());
    assertThrows(UnsupportedOperationException.class, () -> rule.roles().add("x"));
  }
}
