package com.vclick.web.http;

import com.vclick.web.problem.BadRequestProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Checks of query parameters shared by the resources; a bad value is a 400 problem. */
public final class QueryParameters {

  private QueryParameters() {}

  /**
   * The {@code limit} parameter as a whole number from 1 to {@code max}.
   *
   * @throws BadRequestProblem for anything else
   */
  public static int limit(String value, int max) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestProblem("limit must be a whole number from 1 to " + max + ".");
  }

  /**
   * The {@code before} parameter of a paged list: an ISO-8601 instant, or null when absent.
   *
   * @throws BadRequestProblem for anything else
   */
  public static Instant before(String value) {
    return instant("before", value);
  }

  /**
   * An instant parameter ({@code from}, {@code to}, {@code before}): ISO-8601, or null when absent.
   *
   * @throws BadRequestProblem for anything else
   */
  public static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new BadRequestProblem(
          name + " must be an ISO-8601 instant such as 2026-11-24T10:00:00Z.");
    }
  }

  /**
   * The {@code user} filter: a user id (at most 64 characters), or null when absent.
   *
   * @throws BadRequestProblem for a blank or longer value
   */
  public static String userId(String value) {
    if (value != null && (value.isBlank() || value.length() > 64)) {
      throw new BadRequestProblem("user must be a user id.");
    }
    return value;
  }
}
