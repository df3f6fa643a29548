package com.vclick.core.edge;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final TimeWindow OFFICE_HOURS =
      new TimeWindow(
          EnumSet.range(MONDAY, FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0), LONDON);

  // 2026: British Summer Time starts Sunday 29 March 01:00 UTC (01:00 GMT → 02:00 BST)
  // and ends Sunday 25 October 01:00 UTC (02:00 BST → 01:00 GMT).
  @ParameterizedTest(name = "{0}: {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2026-03-02T08:00:00Z | true    | Monday, GMT: 08:00 local, the first instant inside
          2026-03-02T07:59:59Z | false   | a second before
          2026-03-02T12:00:00Z | true |
          2026-03-02T17:59:59Z | true    | the last second inside
          2026-03-02T18:00:00Z | false   | to is exclusive
          2026-03-06T17:30:00Z | true    | Friday
          2026-03-07T12:00:00Z | false   | Saturday
          2026-03-08T12:00:00Z | false   | Sunday
          2026-03-27T07:30:00Z | false   | Friday before the switch: 07:30 GMT
          2026-03-30T07:30:00Z | true    | Monday after the switch: 08:30 BST
          2026-03-30T07:00:00Z | true    | 08:00 BST
          2026-03-30T06:59:59Z | false   | 07:59:59 BST
          2026-03-30T16:59:59Z | true    | 17:59:59 BST
          2026-03-30T17:00:00Z | false   | 18:00 BST
          2026-06-01T07:00:00Z | true    | summer Monday 08:00 BST
          2026-06-01T17:30:00Z | false   | 18:30 BST
          2026-10-26T07:30:00Z | false   | Monday after the autumn switch: 07:30 GMT
          2026-10-26T08:00:00Z | true    | 08:00 GMT
          2026-10-26T17:30:00Z | true    | 17:30 GMT
          """)
  void officeHoursInLondonFollowDaylightSavingTime(Instant at, boolean inside, String why) {
    assertEquals(inside, OFFICE_HOURS.contains(at), why);
  }

  @Test
  void onTheSpringSwitchDayAWindowAcrossTheGapIsAnHourShorter() {
    TimeWindow earlySunday =
        new TimeWindow(Set.of(SUNDAY), LocalTime.of(1, 0), LocalTime.of(3, 0), LONDON);
    Instant day = Instant.parse("2026-03-29T00:00:00Z");
    assertFalse(earlySunday.contains(day.plusSeconds(59 * 60))); // 00:59 GMT
    assertTrue(earlySunday.contains(Instant.parse("2026-03-29T01:00:00Z"))); // 02:00 BST
    assertTrue(earlySunday.contains(Instant.parse("2026-03-29T01:59:59Z"))); // 02:59:59 BST
    assertFalse(earlySunday.contains(Instant.parse("2026-03-29T02:00:00Z"))); // 03:00 BST
    assertEquals(Duration.ofHours(1), insideDuring(earlySunday, day, Duration.ofHours(6)));
  }

  @Test
  void aWindowEntirelyInsideTheSpringGapMatchesNothingThatDay() {
    TimeWindow inGap =
        new TimeWindow(Set.of(SUNDAY), LocalTime.of(1, 15), LocalTime.of(1, 45), LONDON);
    assertEquals(
        Duration.ZERO,
        insideDuring(inGap, Instant.parse("2026-03-28T23:00:00Z"), Duration.ofHours(6)));
    // ...and half an hour on an ordinary Sunday
    assertEquals(
        Duration.ofMinutes(30),
        insideDuring(inGap, Instant.parse("2026-03-22T00:00:00Z"), Duration.ofHours(6)));
  }

  @Test
  void inTheAutumnOverlapTheRepeatedHourIsInsideTwice() {
    TimeWindow repeatedHour =
        new TimeWindow(Set.of(SUNDAY), LocalTime.of(1, 0), LocalTime.of(2, 0), LONDON);
    assertFalse(repeatedHour.contains(Instant.parse("2026-10-24T23:59:59Z"))); // 00:59:59 BST
    assertTrue(repeatedHour.contains(Instant.parse("2026-10-25T00:00:00Z"))); // 01:00 BST
    assertTrue(repeatedHour.contains(Instant.parse("2026-10-25T00:59:59Z"))); // 01:59:59 BST
    assertTrue(repeatedHour.contains(Instant.parse("2026-10-25T01:00:00Z"))); // 01:00 GMT
    assertTrue(repeatedHour.contains(Instant.parse("2026-10-25T01:59:59Z"))); // 01:59:59 GMT
    assertFalse(repeatedHour.contains(Instant.parse("2026-10-25T02:00:00Z"))); // 02:00 GMT
    assertEquals(
        Duration.ofHours(2),
        insideDuring(repeatedHour, Instant.parse("2026-10-24T22:00:00Z"), Duration.ofHours(6)));
  }

  /** How long the window holds, scanned minute by minute (deterministic, no clock). */
  private static Duration insideDuring(TimeWindow window, Instant start, Duration span) {
    long minutes = 0;
    for (Instant t = start; t.isBefore(start.plus(span)); t = t.plusSeconds(60)) {
      if (window.contains(t)) {
        minutes++;
      }
    }
    return Duration.ofMinutes(minutes);
  }

  @ParameterizedTest(name = "{0}: {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2026-03-06T03:00:00Z | false   | Friday early morning belongs to Thursday's night
          2026-03-06T21:59:59Z | false   | Friday, before
          2026-03-06T22:00:00Z | true    | Friday 22:00
          2026-03-06T23:59:59Z | true |
          2026-03-07T00:00:00Z | true    | Saturday midnight: still Friday's night
          2026-03-07T05:59:59Z | true |
          2026-03-07T06:00:00Z | false   | Saturday 06:00, the end
          2026-03-07T22:30:00Z | false   | Saturday night is not listed
          2026-03-08T02:00:00Z | false |
          """)
  void anOvernightWindowBelongsToTheDayItStarts(Instant at, boolean inside, String why) {
    TimeWindow fridayNight =
        new TimeWindow(Set.of(FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), LONDON);
    assertEquals(inside, fridayNight.contains(at), why);
  }

  @Test
  void overnightWindowsOnConsecutiveDaysAndAcrossTheWeekEnd() {
    TimeWindow weekendNights =
        new TimeWindow(Set.of(FRIDAY, SATURDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), LONDON);
    assertTrue(weekendNights.contains(Instant.parse("2026-03-07T22:30:00Z"))); // Sat night
    assertTrue(weekendNights.contains(Instant.parse("2026-03-08T05:00:00Z"))); // Sun morning
    assertFalse(weekendNights.contains(Instant.parse("2026-03-08T22:30:00Z"))); // Sun night
    assertFalse(weekendNights.contains(Instant.parse("2026-03-07T12:00:00Z"))); // Sat noon

    TimeWindow sundayNight =
        new TimeWindow(Set.of(SUNDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), LONDON);
    assertTrue(sundayNight.contains(Instant.parse("2026-03-09T03:00:00Z"))); // Monday 03:00
    assertFalse(sundayNight.contains(Instant.parse("2026-03-10T03:00:00Z"))); // Tuesday 03:00
  }

  @Test
  void equalBoundsMeanAWhole24HoursAndMidnightEndsTheDay() {
    ZoneId utc = ZoneId.of("UTC");
    TimeWindow allMonday =
        new TimeWindow(Set.of(MONDAY), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, utc);
    assertTrue(allMonday.contains(Instant.parse("2026-03-02T00:00:00Z")));
    assertTrue(allMonday.contains(Instant.parse("2026-03-02T23:59:59Z")));
    assertFalse(allMonday.contains(Instant.parse("2026-03-03T00:00:00Z")));
    assertFalse(allMonday.contains(Instant.parse("2026-03-01T23:59:59Z")));

    TimeWindow fromEight =
        new TimeWindow(Set.of(MONDAY), LocalTime.of(8, 0), LocalTime.of(8, 0), utc);
    assertFalse(fromEight.contains(Instant.parse("2026-03-02T07:59:59Z")));
    assertTrue(fromEight.contains(Instant.parse("2026-03-02T08:00:00Z")));
    assertTrue(fromEight.contains(Instant.parse("2026-03-03T07:59:59Z")));
    assertFalse(fromEight.contains(Instant.parse("2026-03-03T08:00:00Z")));

    TimeWindow evening =
        new TimeWindow(Set.of(MONDAY), LocalTime.of(18, 0), LocalTime.MIDNIGHT, utc);
    assertTrue(evening.contains(Instant.parse("2026-03-02T23:59:59Z")));
    assertFalse(evening.contains(Instant.parse("2026-03-03T00:00:00Z")));
    assertFalse(evening.contains(Instant.parse("2026-03-02T17:59:59Z")));
  }

  @Test
  void alwaysContainsEveryInstant() {
    TimeWindow always = TimeWindow.always();
    for (String at :
        List.of("2026-03-02T00:00:00Z", "2026-03-08T23:59:59Z", "1970-01-01T00:00:00Z")) {
      assertTrue(always.contains(Instant.parse(at)), at);
    }
    assertEquals("every day all day UTC", always.describe());
  }

  @Test
  void theZoneMatters() {
    TimeWindow tokyoMorning =
        new TimeWindow(
            EnumSet.range(MONDAY, FRIDAY),
            LocalTime.of(9, 0),
            LocalTime.of(12, 0),
            ZoneId.of("Asia/Tokyo"));
    // Monday 09:30 in Tokyo is Monday 00:30 UTC, Sunday evening in New York
    assertTrue(tokyoMorning.contains(Instant.parse("2026-03-02T00:30:00Z")));
    assertFalse(tokyoMorning.contains(Instant.parse("2026-03-02T09:30:00Z")));
  }

  @Test
  void parsesItsWireForm() {
    TimeWindow parsed =
        TimeWindow.parse(
            List.of("mon", "TUESDAY", "Wed", "thu", "friday"), "08:00", "18:00", "Europe/London");
    assertEquals(OFFICE_HOURS, parsed);
    assertEquals(
        new TimeWindow(Set.of(SATURDAY), LocalTime.of(22, 30), LocalTime.of(6, 0), LONDON),
        TimeWindow.parse(List.of(" sat "), "22:30", "06:00", " Europe/London "));
  }

  @ParameterizedTest(name = "{0} / {1} / {2} / {3} → {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''          | 08:00 | 18:00 | UTC           | days
          funday      | 08:00 | 18:00 | UTC           | days
          mo          | 08:00 | 18:00 | UTC           | days
          mon         | 25:00 | 18:00 | UTC           | from
          mon         | 8am   | 18:00 | UTC           | from
          mon         | 08:00 | 24:00 | UTC           | to
          mon         | 08:00 | ''    | UTC           | to
          mon         | 08:00 | 18:00 | Mars/Olympus  | zone
          mon         | 08:00 | 18:00 | ''            | zone
          """)
  void wireFormErrorsNameTheField(String days, String from, String to, String zone, String field) {
    List<String> dayList = days.isEmpty() ? List.of() : Arrays.asList(days.split(","));
    PolicyValidationException e =
        assertThrows(
            PolicyValidationException.class, () -> TimeWindow.parse(dayList, from, to, zone));
    assertEquals(field, e.field());
  }

  @Test
  void theRecordRefusesMissingParts() {
    LocalTime eight = LocalTime.of(8, 0);
    assertEquals(
        "days",
        assertThrows(
                PolicyValidationException.class,
                () -> new TimeWindow(Set.of(), eight, eight, LONDON))
            .field());
    assertEquals(
        "from",
        assertThrows(
                PolicyValidationException.class,
                () -> new TimeWindow(Set.of(MONDAY), null, eight, LONDON))
            .field());
    assertEquals(
        "zone",
        assertThrows(
                PolicyValidationException.class,
                () -> new TimeWindow(Set.of(MONDAY), eight, eight, null))
            .field());
    assertThrows(
        PolicyValidationException.class, () -> TimeWindow.parse(null, "08:00", "09:00", "UTC"));
  }

  @Test
  void describesItselfForExplanations() {
    assertEquals("Mon–Fri 08:00–18:00 Europe/London", OFFICE_HOURS.describe());
    assertEquals(
        "Fri, Sat 22:00–06:00 Europe/London",
        new TimeWindow(Set.of(SATURDAY, FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), LONDON)
            .describe());
    assertEquals(
        "Mon, Wed, Fri–Sun 09:00–10:00 UTC",
        new TimeWindow(
                Set.of(MONDAY, WEDNESDAY, FRIDAY, SATURDAY, SUNDAY),
                LocalTime.of(9, 0),
                LocalTime.of(10, 0),
                ZoneId.of("UTC"))
            .describe());
    assertEquals(
        "Tue–Thu 09:00–09:00 UTC",
        new TimeWindow(
                Set.of(TUESDAY, WEDNESDAY, THURSDAY),
                LocalTime.of(9, 0),
                LocalTime.of(9, 0),
                ZoneId.of("UTC"))
            .describe());
  }

  @Test
  void theDaysAreACopy() {
    Set<DayOfWeek> days = EnumSet.of(MONDAY);
    TimeWindow window = new TimeWindow(days, LocalTime.NOON, LocalTime.MIDNIGHT, LONDON);
    days.add(TUESDAY);
    assertEquals(Set.of(MONDAY), window.days());
    assertThrows(UnsupportedOperationException.class, () -> window.days().add(SUNDAY));
  }
}
