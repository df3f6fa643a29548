package com.vclick.core.edge;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Weekly hours in a time zone, e.g. Monday to Friday 08:00–18:00 Europe/London. {@code from} is
 * inclusive, {@code to} exclusive. When {@code to} is not after {@code from} the window runs over
 * midnight and belongs to the weekday it starts on: Friday 22:00–06:00 covers Friday 22:00 to
 * Saturday 06:00, not Friday 00:00–06:00. {@code from == to} is a whole 24 hours from {@code from}
 * ({@code 00:00–00:00} is the whole day); {@code to == 00:00} ends at midnight.
 *
 * <p>Instants are read as wall-clock time in the zone, so a window follows daylight saving time. In
 * the spring gap the skipped local times never occur (a window lying entirely inside the gap
 * matches nothing that day; one straddling it is an hour shorter); in the autumn overlap the
 * repeated local times occur twice and both are inside the window if the wall-clock time is (the
 * window is an hour longer).
 *
 * @param days the weekdays on which the window starts, at least one
 * @param from the first local time inside the window
 * @param to the first local time after the window
 * @param zone the time zone the times are read in
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

  public TimeWindow {
    if (days == null || days.isEmpty()) {
      throw new PolicyValidationException("days", "A time window needs at least one weekday.");
    }
    if (from == null) {
      throw new PolicyValidationException("from", "A time window needs a start time.");
    }
    if (to == null) {
      throw new PolicyValidationException("to", "A time window needs an end time.");
    }
    if (zone == null) {
      throw new PolicyValidationException("zone", "A time window needs a time zone.");
    }
    days = Set.copyOf(days);
  }

  /** Every day, all day (in UTC, which makes no difference). */
  public static TimeWindow always() {
    return new TimeWindow(
        EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneId.of("UTC"));
  }

  /**
   * Builds a window from its wire form: weekday names ({@code "MONDAY"} or {@code "mon"}, any
   * case), ISO times ({@code "08:00"}) and a zone id ({@code "Europe/London"}).
   *
   * @throws PolicyValidationException for field {@code days}, {@code from}, {@code to} or {@code
   *     zone}
   */
  public static TimeWindow parse(Collection<String> days, String from, String to, String zone) {
    Set<DayOfWeek> weekdays = EnumSet.noneOf(DayOfWeek.class);
    for (String day : days == null ? List.<String>of() : days) {
      weekdays.add(weekday(day));
    }
    return new TimeWindow(weekdays, time(from, "from"), time(to, "to"), zoneId(zone));
  }

  private static DayOfWeek weekday(String name) {
    String wanted = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (wanted.length() >= 3 && day.name().startsWith(wanted)) {
        return day;
      }
    }
    throw new PolicyValidationException(
        "days", "\"" + name + "\" is not a weekday; use MONDAY to SUNDAY or MON to SUN.");
  }

  private static LocalTime time(String text, String field) {
    try {
      return LocalTime.parse(text == null ? "" : text.strip());
    } catch (DateTimeException e) {
      throw new PolicyValidationException(
          field, "\"" + text + "\" is not a time of day; use HH:mm from 00:00 to 23:59.");
    }
  }

  private static ZoneId zoneId(String id) {
    try {
      return ZoneId.of(id == null ? "" : id.strip());
    } catch (DateTimeException e) {
      throw new PolicyValidationException(
          "zone", "\"" + id + "\" is not a time zone; use an IANA id such as Europe/London.");
    }
  }

  /** Whether the instant, read as local time in the zone, is inside the window. */
  public boolean contains(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    DayOfWeek day = local.getDayOfWeek();
    LocalTime time = local.toLocalTime();
    if (from.isBefore(to)) {
      return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
    }
    // Over midnight (or a whole 24 hours): the evening part of a listed day, or the morning part
    // of the day after one.
    return (days.contains(day) && !time.isBefore(from))
        || (days.contains(day.minus(1)) && time.isBefore(to));
  }

  /** For explanations: {@code Mon–Fri 08:00–18:00 Europe/London}, {@code every day all day UTC}. */
  public String describe() {
    String hours = from.equals(to) && from.equals(LocalTime.MIDNIGHT) ? "all day" : from + "–" + to;
    return describeDays() + " " + hours + " " + zone.getId();
  }

  private String describeDays() {
    if (days.size() == 7) {
      return "every day";
    }
    List<String> runs = new ArrayList<>();
    DayOfWeek[] all = DayOfWeek.values();
    for (int i = 0; i < all.length; i++) {
      if (!days.contains(all[i])) {
        continue;
      }
      int j = i;
      while (j + 1 < all.length && days.contains(all[j + 1])) {
        j++;
      }
      String first = shortName(all[i]);
      runs.add(j - i >= 2 ? first + "–" + shortName(all[j]) : first);
      if (j - i == 1) {
        runs.add(shortName(all[j]));
      }
      i = j;
    }
    return String.join(", ", runs);
  }

  private static String shortName(DayOfWeek day) {
    return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }
}
